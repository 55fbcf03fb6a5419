#!/bin/bash
# Starts a KRaft broker configured like apache/kafka: every KAFKA_<NAME> environment variable
# becomes the property <name> (_ -> ., __ -> _, ___ -> -), except the JVM option variables;
# CLUSTER_ID formats the log directory on first start (a restart keeps the data).
set -euo pipefail
conf=/tmp/kafka-config
mkdir -p "$conf"
props="$conf/server.properties"
: >"$props"
while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_LOG4J_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|KAFKA_JMX_OPTS) continue ;;
    KAFKA_*)
      key="$(printf '%s' "${name#KAFKA_}" | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g' | tr '[:upper:]' '[:lower:]')"
      printf '%s=%s\n' "$key" "$value" >>"$props" ;;
  esac
done < <(env)
grep -q '^log.dirs=' "$props" || echo "log.dirs=/tmp/kraft-combined-logs" >>"$props"

cp="/opt/kafka/libs/*"
: "${CLUSTER_ID:?CLUSTER_ID must be set (kafka-storage random-uuid)}"
format=(format -t "$CLUSTER_ID" -c "$props" --ignore-formatted)
# A dynamic quorum (bootstrap servers, no static voters) needs --standalone on its first node.
if ! grep -q '^controller.quorum.voters=' "$props"; then format+=(--standalone); fi
java -cp "$cp" ${KAFKA_LOG4J_OPTS:-} kafka.tools.StorageTool "${format[@]}"
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} ${KAFKA_OPTS:-} ${KAFKA_LOG4J_OPTS:-} -cp "$cp" kafka.Kafka "$props"
