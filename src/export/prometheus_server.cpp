#include "export/prometheus_server.h"

#include <bpf/libbpf.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <mutex>
#include <thread>

#include "export/http_server.h"
#include "runtime/counters.h"
#include "runtime/map_reader.h"

namespace scry::exporter {

namespace {

// Every name --export-maps lists must be a map of the script.
bool knownMaps(const std::vector<std::string> &names, const object::BpfObject &object) {
  for (const std::string &name : names) {
    auto same = [&](const object::MapDesc &desc) { return desc.name == name; };
    if (std::any_of(object.maps.begin(), object.maps.end(), same))
      continue;
    std::string all;
    for (const object::MapDesc &desc : object.maps)
      all += (all.empty() ? "" : ", ") + desc.name;
    std::cerr << "ERROR: --export-maps: the script has no map " << name
              << (all.empty() ? std::string(" (it has none)") : " (its maps: " + all + ")") << "\n";
    return false;
  }
  return true;
}

} // namespace

struct PrometheusServer::State {
  Endpoint endpoint;
  ScrapeInfo info;
  std::vector<std::string> only; // --export-maps; empty: every map
  bool quiet = false;
  std::unique_ptr<HttpServer> server;
  std::thread thread;
  std::atomic<bool> served{false}; // serve() returned (it failed, or stop() ended it)
  std::mutex scrape_mutex; // one scrape reads the maps at a time
  bpf_object *bpf = nullptr;
  const object::BpfObject *object = nullptr;
  int ncpus = 0;
  runtime::DropCounters counters; // lost events and full-map drops, read on each scrape

  std::string scrape(Format format) {
    std::lock_guard<std::mutex> lock(scrape_mutex);
    std::vector<runtime::MapContents> maps;
    for (const object::MapDesc &desc : object->maps) {
      if (!only.empty() && std::find(only.begin(), only.end(), desc.name) == only.end())
        continue;
      const bpf_map *map = bpf_object__find_map_by_name(bpf, desc.elf_name.c_str());
      runtime::MapContents contents;
      std::string error;
      // A map that cannot be read now (it is being cleared) is left out of this scrape.
      if (map && runtime::readMap(map, desc, ncpus, contents, error))
        maps.push_back(std::move(contents));
    }
    ScrapeInfo now = info;
    if (counters.read()) {
      now.lost_events = counters.lostEvents();
      for (size_t i = 0; i < object->maps.size(); ++i)
        if (uint64_t dropped = counters.mapDrops(i))
          now.map_full_updates.emplace_back(object->maps[i].name, dropped);
    }
    return render(maps, now, format);
  }
};

PrometheusServer::PrometheusServer(Endpoint endpoint, ScrapeInfo info,
                                   std::vector<std::string> maps, bool quiet)
    : state_(std::make_unique<State>()) {
  state_->endpoint = std::move(endpoint);
  state_->info = std::move(info);
  state_->only = std::move(maps);
  state_->quiet = quiet;
}

PrometheusServer::~PrometheusServer() { stop(); }

bool PrometheusServer::start(bpf_object *bpf, const object::BpfObject &object) {
  State &s = *state_;
  s.bpf = bpf;
  s.object = &object;
  s.ncpus = libbpf_num_possible_cpus();
  s.counters.open(bpf, object);
  if (!knownMaps(s.only, object))
    return false;
  std::string error;
  s.server = loadHttpServer(
      [&s](const std::string &path, const std::string &accept, std::string &body,
           std::string &type) {
        if (path != "/metrics") {
          body = "scry: metrics are at /metrics\n";
          type = "text/plain";
          return path == "/" ? 200 : 404;
        }
        Format format = negotiate(accept);
        body = s.scrape(format);
        type = contentType(format);
        return 200;
      },
      error);
  if (!s.server) {
    std::cerr << "ERROR: --export: " << error << "\n";
    return false;
  }
  int port = s.server->bind(s.endpoint.host, s.endpoint.port);
  bool bound = port > 0;
  if (!bound) {
    std::cerr << "ERROR: --export: cannot listen on " << s.endpoint.host << ":"
              << s.endpoint.port << " (in use, or not an address of this machine)\n";
    return false;
  }
  s.thread = std::thread([&s] {
    s.server->serve();
    s.served = true;
  });
  // stop() only reaches a server that is running: wait for it (it takes microseconds).
  while (!s.server->running() && !s.served)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!s.quiet) {
    bool v6 = s.endpoint.host.find(':') != std::string::npos;
    std::cerr << "Serving metrics on http://" << (v6 ? "[" : "") << s.endpoint.host
              << (v6 ? "]" : "") << ":" << port << "/metrics\n";
  }
  return true;
}

void PrometheusServer::stop() {
  State &s = *state_;
  if (!s.thread.joinable())
    return;
  s.server->stop();
  s.thread.join();
}

} // namespace scry::exporter
