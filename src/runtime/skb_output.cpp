// skboutput()'s pcap files and perf buffer. See skb_output.h.
#include "runtime/skb_output.h"

#include <time.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <span>

#include "runtime/pcap_writer.h"

namespace scry::runtime {

namespace {

int64_t clockNs(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

} // namespace

bool SkbOutput::open(bpf_object *bpf, const object::BpfObject &object, std::ostream &err) {
  if (object.skb_outputs.empty())
    return true;
  boot_to_wall_ns_ = clockNs(CLOCK_REALTIME) - clockNs(CLOCK_BOOTTIME);
  std::string header = pcapFileHeader();
  for (const std::string &path : object.skb_outputs) {
    std::FILE *f = std::fopen(path.c_str(), "wb");
    if (!f || std::fwrite(header.data(), 1, header.size(), f) != header.size()) {
      err << "ERROR: skboutput: cannot create '" << path << "': " << std::strerror(errno) << "\n";
      if (f)
        std::fclose(f);
      return false;
    }
    files_.emplace_back(f);
    paths_.push_back(path);
  }
  const bpf_map *map = bpf_object__find_map_by_name(bpf, object.skb_output_map.c_str());
  if (!map) {
    err << "ERROR: the BPF object has no skboutput map '" << object.skb_output_map << "'\n";
    return false;
  }
  pb_.reset(perf_buffer__new(bpf_map__fd(map), object.skb_output_pages, &SkbOutput::onSample,
                             &SkbOutput::onLost, this, nullptr));
  if (!pb_) {
    err << "ERROR: map '" << object.skb_output_map
        << "': cannot open the perf buffer: " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

void SkbOutput::consume() {
  if (pb_)
    perf_buffer__consume(pb_.get());
}

void SkbOutput::close() {
  consume();
  pb_.reset();
  for (size_t i = 0; i < files_.size(); ++i)
    if (std::fflush(files_[i].get()) != 0 && !write_failed_) {
      std::cerr << "ERROR: skboutput: writing '" << paths_[i] << "' failed: "
                << std::strerror(errno) << "\n";
      write_failed_ = true;
    }
  files_.clear();
  if (lost_)
    std::cerr << "WARNING: skboutput: " << lost_ << " packets lost (the perf buffer was full)\n";
  if (malformed_)
    std::cerr << "WARNING: skboutput: dropped " << malformed_ << " malformed samples\n";
  lost_ = malformed_ = 0;
}

void SkbOutput::onSample(void *ctx, int, void *data, uint32_t size) {
  auto *self = static_cast<SkbOutput *>(ctx);
  SkbSample sample;
  if (!decodeSkbSample(std::span(static_cast<const uint8_t *>(data), size), sample) ||
      sample.id >= self->files_.size()) {
    ++self->malformed_;
    return;
  }
  auto wall = static_cast<uint64_t>(static_cast<int64_t>(sample.boot_ns) + self->boot_to_wall_ns_);
  std::string record = pcapRecord(wall, sample.data, sample.orig_len);
  std::FILE *f = self->files_[sample.id].get();
  if (std::fwrite(record.data(), 1, record.size(), f) != record.size() && !self->write_failed_) {
    std::cerr << "ERROR: skboutput: writing '" << self->paths_[sample.id] << "' failed: "
              << std::strerror(errno) << "\n";
    self->write_failed_ = true;
  }
}

void SkbOutput::onLost(void *ctx, int, unsigned long long count) {
  static_cast<SkbOutput *>(ctx)->lost_ += count;
}

} // namespace scry::runtime
