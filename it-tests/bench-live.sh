#!/usr/bin/env bash
# The live end-to-end benchmark (see BENCHMARKS.md): a real broker, Avro, exactly_once_v2, each app
# as its own JVM. Arguments go to io.intentstream.it.LiveBenchmark, e.g.
#   it-tests/bench-live.sh                                        # 50 events per shopper, 60 s trials, 3 apps
#   it-tests/bench-live.sh --events 50000 --trial-seconds 20 --modes passthrough,default
#   it-tests/bench-live.sh --events 100000 --trial-seconds 20 --modes default --latency-rate 4645 \
#       --app-settings streams.max.poll.records=200     # latency at a given rate, no search (~2 min)
# The class path travels in CLASSPATH: ONNX Runtime crashes a JVM whose command line is longer than
# about 4 KB (see OrtStartup).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# One reactor run, so sibling modules resolve to their freshly built jars (nothing is installed).
./mvnw -q -pl it-tests -am package dependency:build-classpath -DskipTests -DincludeScope=test \
    -Dmdep.outputFile=target/bench.classpath
export CLASSPATH="$root/it-tests/target/test-classes:$(cat it-tests/target/bench.classpath)"
cd it-tests
# Each app JVM gets 2 GB of heap: room for the K/V caches of all 20k shoppers (scoring.cache.max.bytes).
# BENCH_CHILD_JVM_OPTIONS: extra options of the app JVMs, e.g.
#   -XX:StartFlightRecording=filename=/tmp/app.jfr,settings=profile
exec java -Xmx2g -Dintentstream.child.heap=2g -Dintentstream.child.jvm.options="${BENCH_CHILD_JVM_OPTIONS:-}" -Dintentstream.repo.root="$root" io.intentstream.it.LiveBenchmark "$@"
