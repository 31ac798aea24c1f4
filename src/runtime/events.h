// Decoding of the records BPF programs write to the events ring buffer (the wire
// format is in object/object.h): a Printf record becomes formatted text, an Exit record
// carries the exit code. Pure: the poller hands records in, text comes out.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "object/object.h"
#include "runtime/sys_events.h"
#include "runtime/value.h"

namespace scry::runtime {

struct EventResult {
  // Value: print(value). MapAction: print/clear/zero of a map, done by the runtime.
  // Sys: time, cat, system, join, errorf or warnf, done by runSysEvent (sys_events.h).
  // Noted: nothing to print (PidSeen: the pid's mappings were captured, symbolize.h).
  // Unwatch: unwatch(address), done by the poller's unwatch handler.
  enum class Kind { Printed, Exit, Malformed, Value, MapAction, Sys, Noted, Unwatch };
  Kind kind = Kind::Printed;
  std::string text;      // Printed: the formatted output
  int64_t exit_code = 0; // Exit
  std::string error;     // Malformed: why, naming the record's kind and id
  Value value;           // Value
  object::EventKind action = object::EventKind::PrintMap; // MapAction: PrintMap/ClearMap/ZeroMap
  uint32_t map_index = 0;                                 // MapAction: into BpfObject::maps
  uint64_t top = 0, div = 0;                              // MapAction: print's arguments
  SysEvent sys;                                           // Sys
  uint64_t address = 0;                                   // Unwatch
  int pid = 0;                                            // Noted: PidSeen's pid
};

// Decodes the arguments of printf `desc` from `record` (header included).
// Returns false, with `error` set, when an argument lies outside the record.
bool decodePrintfArgs(const object::PrintfDesc &desc, std::span<const uint8_t> record,
                      std::vector<Value> &args, std::string &error);

// Handles one ring-buffer record.
EventResult handleRecord(const object::BpfObject &object, std::span<const uint8_t> record);

} // namespace scry::runtime
