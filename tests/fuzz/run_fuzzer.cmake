# cmake -DFUZZER=<exe> -DSEEDS=<dir> -DWORK=<dir> -DRUNS=<n> -DSECONDS=<s> -P run_fuzzer.cmake
# Copies the seed corpus to a fresh work directory (libFuzzer adds new inputs to its first corpus directory)
# and runs a short, bounded fuzzing session; any crash, leak or sanitizer report fails the test.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/artifacts")
file(GLOB _seeds "${SEEDS}/*")
if(_seeds)
  file(COPY ${_seeds} DESTINATION "${WORK}/corpus")
endif()
execute_process(
  COMMAND "${FUZZER}" -runs=${RUNS} -max_total_time=${SECONDS} -max_len=4096 -timeout=10 -rss_limit_mb=2048
          -print_final_stats=1 "-artifact_prefix=${WORK}/artifacts/" "${WORK}/corpus"
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "${FUZZER} failed (exit ${_rc}); the crashing input is in ${WORK}/artifacts")
endif()
