#!/bin/bash
# Runs a Kafka tool class on the broker's jars (the apache/kafka scripts' contract, minimal).
exec java ${KAFKA_HEAP_OPTS:--Xmx256m} ${KAFKA_LOG4J_OPTS:-} -cp "/opt/kafka/libs/*" "$@"
