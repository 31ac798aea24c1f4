// --export prometheus: serves the running script's maps on /metrics (exposition.h) from
// a thread of its own, so a scrape never holds up the ring-buffer polling; each scrape
// reads the maps afresh with bpf_map_lookup_elem. Started by the runtime once the
// probes are attached, stopped before END runs (runtime/map_observer.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "export/endpoint.h"
#include "export/exposition.h"
#include "runtime/map_observer.h"

namespace scry::exporter {

class PrometheusServer : public runtime::MapObserver {
public:
  // `maps`: the maps to serve ("@x"; all when empty). `quiet`: do not print the
  // "Serving metrics on" line.
  PrometheusServer(Endpoint endpoint, ScrapeInfo info, std::vector<std::string> maps, bool quiet);
  ~PrometheusServer() override;

  bool start(bpf_object *bpf, const object::BpfObject &object) override;
  void stop() override;

private:
  struct State;
  std::unique_ptr<State> state_;
};

} // namespace scry::exporter
