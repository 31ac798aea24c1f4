// Turns a tracepoint's format file into the record type of its `args`, typing each field
// through its C declaration, the format file's size/signedness and kernel BTF.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "ast/type.h"
#include "btf/btf_types.h"

namespace scry::btf {

// The args record of `category:event` from the text of its format file, named
// "struct _tracepoint_<category>_<event>" (bpftrace's name), with the file's offsets
// (which include the 8-byte common header) and size = end of the last field.
// `btf` is loaded only if a field names a typedef, struct or union.
// Returns null with `error` set when a field cannot be parsed or typed.
std::shared_ptr<const ast::RecordType> buildTracepointArgs(const std::string &category,
                                                           const std::string &event,
                                                           std::string_view format, BtfTypes &btf,
                                                           std::string &error);

} // namespace scry::btf
