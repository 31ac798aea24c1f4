// A reader of the script's maps while the script runs, besides the exit-time dump: the
// Prometheus exporter (src/export) serves them on scrapes from its own thread. The
// runtime starts it once every probe is attached and stops it before END runs, so an
// observer never sees a map after the programs that fill it are gone.
#pragma once

#include "object/object.h"

struct bpf_object;

namespace scry::runtime {

class MapObserver {
public:
  virtual ~MapObserver() = default;
  // `bpf` and `object` stay valid until stop() returns. Returns false, after printing an
  // ERROR line, when the observer cannot start (the run then ends with status 1).
  virtual bool start(bpf_object *bpf, const object::BpfObject &object) = 0;
  virtual void stop() = 0;
};

} // namespace scry::runtime
