// The merge rule of sync/PROTOCOL.md §2 and §5 for one cell: which value
// wins (last writer by version) and whether the two writes were concurrent
// (neither writer had seen the other's value), which makes the loser a
// recorded conflict. Pure functions; thread-safe.
#pragma once

#include "sync/hlc.h"

namespace latih::sync {

// What a replica knows of a cell: the version of its current value and that
// version's base (the version its writer had seen).
struct CellState {
  Version version;
  Version base;
};

struct MergeDecision {
  bool take_remote = false;  // the remote value replaces the local one
  bool concurrent = false;   // neither write saw the other: record a conflict
                             // if the values differ
};

// Decides the merge of a remote cell into a local one. Deterministic and
// order-independent in its winner: the higher version wins everywhere.
MergeDecision DecideMerge(const CellState& local, const CellState& remote);

}  // namespace latih::sync
