#pragma once
// ISO 8601 timestamps for reports and checkpoints.

#include <string>

#include "wxbatch/util/clock.hpp"

namespace wxbatch {

// UTC with second precision, e.g. "2026-11-24T20:34:59Z".
std::string iso8601_utc(WallTime t);

}  // namespace wxbatch
