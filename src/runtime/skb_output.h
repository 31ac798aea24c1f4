// skboutput()'s user side (issue 5): creates each pcap file named in the object before
// any probe runs, reads the packets the programs send through the perf event array
// (libbpf's perf_buffer) while the runtime polls, and writes one pcap record per packet
// (runtime/pcap_writer.h). Files are flushed and closed when scry ends, however it ends.
#pragma once

#include <bpf/libbpf.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <ostream>
#include <vector>

#include "object/object.h"

namespace scry::runtime {

class SkbOutput {
public:
  SkbOutput() = default;
  SkbOutput(const SkbOutput &) = delete;
  SkbOutput &operator=(const SkbOutput &) = delete;
  ~SkbOutput() { close(); }

  // Creates (truncates) every skboutput() file and writes its pcap header, then starts
  // reading the object's perf event array. Returns false after telling `err` why.
  bool open(bpf_object *bpf, const object::BpfObject &object, std::ostream &err);
  // Writes the packets that have arrived, without waiting.
  void consume();
  // Whether packets may arrive: the runtime then polls more often (runtime.cpp).
  bool active() const { return pb_ != nullptr; }
  // Writes what is left, warns of lost packets, and closes the files.
  void close();

private:
  static void onSample(void *ctx, int cpu, void *data, uint32_t size);
  static void onLost(void *ctx, int cpu, unsigned long long count); // libbpf's __u64

  struct FileClose {
    void operator()(std::FILE *f) const { std::fclose(f); }
  };
  struct PerfBufferFree {
    void operator()(perf_buffer *pb) const { perf_buffer__free(pb); }
  };
  std::vector<std::unique_ptr<std::FILE, FileClose>> files_;
  std::vector<std::string> paths_;
  std::unique_ptr<perf_buffer, PerfBufferFree> pb_;
  int64_t boot_to_wall_ns_ = 0; // CLOCK_REALTIME - CLOCK_BOOTTIME when opened
  uint64_t lost_ = 0;
  uint64_t malformed_ = 0;
  bool write_failed_ = false;
};

} // namespace scry::runtime
