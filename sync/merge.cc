#include "sync/merge.h"

namespace latih::sync {

MergeDecision DecideMerge(const CellState& local, const CellState& remote) {
  MergeDecision d;
  if (remote.version == local.version) return d;  // a duplicate delivery
  d.take_remote = local.version < remote.version;
  const bool never_written = local.version == Version{};
  const bool informed = remote.base == local.version ||  // the remote writer saw the local value
                        local.base == remote.version;    // the local writer saw the remote value
  const bool same_writer = local.version.node == remote.version.node;  // one node's own sequence
  d.concurrent = !never_written && !informed && !same_writer;
  return d;
}

}  // namespace latih::sync
