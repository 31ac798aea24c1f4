// Ring-buffer record decoding: EventHeader dispatch, printf argument extraction.
#include "runtime/events.h"

#include <cstring>

#include "runtime/printf_format.h"
#include "runtime/symbolize.h"

namespace scry::runtime {

using object::EventKind;

bool decodePrintfArgs(const object::PrintfDesc &desc, std::span<const uint8_t> record,
                      std::vector<Value> &args, std::string &error) {
  if (desc.offsets.size() != desc.args.size()) {
    error = "printf has " + std::to_string(desc.args.size()) + " arguments but " +
            std::to_string(desc.offsets.size()) + " offsets";
    return false;
  }
  args.clear();
  for (size_t i = 0; i < desc.args.size(); ++i) {
    uint32_t offset = desc.offsets[i];
    std::optional<Value> value;
    if (offset <= record.size())
      value = decodeValue(desc.args[i], record.subspan(offset));
    if (!value) {
      error = "argument " + std::to_string(i) + " at offset " + std::to_string(offset) +
              " does not fit in " + std::to_string(record.size()) + " bytes";
      return false;
    }
    args.push_back(std::move(*value));
  }
  return true;
}

static EventResult malformed(uint32_t kind, uint32_t id, std::string why) {
  EventResult result;
  result.kind = EventResult::Kind::Malformed;
  result.error = "event (kind " + std::to_string(kind) + ", id " + std::to_string(id) +
                 "): " + std::move(why);
  return result;
}

// Time, process and system records (sys_events.h).
static EventResult sysRecord(const object::BpfObject &object, SysKind kind,
                             const object::EventHeader &header, std::span<const uint8_t> record) {
  EventResult result;
  std::string error;
  if (!decodeSysRecord(object, kind, header.id, record, result.sys, error))
    return malformed(header.kind, header.id, error);
  result.kind = EventResult::Kind::Sys;
  return result;
}

EventResult handleRecord(const object::BpfObject &object, std::span<const uint8_t> record) {
  if (record.size() < object::kEventHeaderSize)
    return malformed(0, 0, "record of " + std::to_string(record.size()) + " bytes has no header");
  object::EventHeader header;
  std::memcpy(&header, record.data(), sizeof(header));
  switch (static_cast<EventKind>(header.kind)) {
  case EventKind::Printf: {
    if (header.id >= object.printfs.size())
      return malformed(header.kind, header.id, "no such printf");
    const object::PrintfDesc &desc = object.printfs[header.id];
    std::vector<Value> args;
    std::string error;
    if (!decodePrintfArgs(desc, record, args, error))
      return malformed(header.kind, header.id, error);
    EventResult result;
    result.text = formatPrintf(desc.format, args);
    return result;
  }
  case EventKind::PrintMap:
  case EventKind::ClearMap:
  case EventKind::ZeroMap: {
    if (header.id >= object.maps.size())
      return malformed(header.kind, header.id, "no such map");
    EventResult result;
    result.kind = EventResult::Kind::MapAction;
    result.action = static_cast<EventKind>(header.kind);
    result.map_index = header.id;
    if (record.size() >= object::kEventHeaderSize + 16) {
      std::memcpy(&result.top, record.data() + 8, 8);
      std::memcpy(&result.div, record.data() + 16, 8);
    }
    return result;
  }
  case EventKind::PrintValue: {
    if (header.id >= object.print_values.size())
      return malformed(header.kind, header.id, "no such print");
    auto value = decodeValue(object.print_values[header.id],
                             record.subspan(object::kEventHeaderSize));
    if (!value)
      return malformed(header.kind, header.id, "value does not fit in the record");
    EventResult result;
    result.kind = EventResult::Kind::Value;
    result.value = std::move(*value);
    return result;
  }
  case EventKind::PidSeen: { // issue 5: capture the maps while the process lives
    uint64_t file_base = 0, binary = 0;
    if (record.size() >= object::kEventHeaderSize + 16) {
      std::memcpy(&file_base, record.data() + 8, 8);
      std::memcpy(&binary, record.data() + 16, 8);
    }
    bool known = binary > 0 && binary <= object.stack_binaries.size();
    processSymbolizer().capturePid(static_cast<int>(header.id),
                                   known ? object.stack_binaries[binary - 1] : "", file_base);
    EventResult result;
    result.kind = EventResult::Kind::Noted;
    result.pid = static_cast<int>(header.id);
    return result;
  }
  case EventKind::PidMapsChanged: { // dw_ustack: the poller's pid handler reads them
    EventResult result;
    result.kind = EventResult::Kind::Noted;
    result.pid = static_cast<int>(header.id);
    return result;
  }
  case EventKind::Unwatch: { // bpftrace 0.25: detach the watchpoints on the address
    if (record.size() < object::kEventHeaderSize + sizeof(uint64_t))
      return malformed(header.kind, header.id, "unwatch record has no address");
    EventResult result;
    result.kind = EventResult::Kind::Unwatch;
    std::memcpy(&result.address, record.data() + object::kEventHeaderSize, sizeof(uint64_t));
    return result;
  }
  case EventKind::Time:
    return sysRecord(object, SysKind::Time, header, record);
  case EventKind::Cat:
    return sysRecord(object, SysKind::Cat, header, record);
  case EventKind::System:
    return sysRecord(object, SysKind::System, header, record);
  case EventKind::Join:
    return sysRecord(object, SysKind::Join, header, record);
  case EventKind::Errorf:
    return sysRecord(object, SysKind::Errorf, header, record);
  case EventKind::Exit: {
    if (record.size() < object::kEventHeaderSize + sizeof(int64_t))
      return malformed(header.kind, header.id, "exit record has no code");
    EventResult result;
    result.kind = EventResult::Kind::Exit;
    std::memcpy(&result.exit_code, record.data() + object::kEventHeaderSize, sizeof(int64_t));
    return result;
  }
  }
  return malformed(header.kind, header.id, "unknown kind");
}

} // namespace scry::runtime
