# Used by ctest when a prerequisite of the conformance suite is missing: fail loudly with WPS_MESSAGE.
message(FATAL_ERROR "${WPS_MESSAGE}")
