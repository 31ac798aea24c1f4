// Running a BPF iterator (iter:task and the other bpf_iter__* targets): once, now, the
// output of its printf()s read from the iterator's seq file, or pinned in bpffs for
// others to read later (iter:NAME:PIN), as bpftrace does.
#pragma once

#include "object/object.h"
#include "runtime/attach.h"
#include "runtime/output_buffer.h"
#include "runtime/poller.h"

namespace scry::runtime {

// With `desc.path` empty, reads the attached iterator (Attachments::iterLink) to its
// end, appending its text to `out` and handling the ring buffer's records (print(),
// exit(), ...) between reads; stops early when exit() is called. Otherwise pins the
// link at `desc.path` (relative paths under /sys/fs/bpf, mounted if it is not) and
// prints "Program pinned to PATH". Returns false after printing an ERROR.
bool runIterator(const Attachments &attachments, const object::ProgramDesc &desc,
                 EventPoller &poller, OutputBuffer &out);

} // namespace scry::runtime
