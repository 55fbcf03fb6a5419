package io.intentstream.it.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules through Debian's {@code promtool} (installed by infra/ci/tools.sh): they pass
 * {@code promtool check rules}, and the unit tests in {@code infra/prometheus/alerts.test.yml}
 * pass, where every alert fires on a failing series and stays quiet on a healthy one.
 */
class PromtoolRulesIT {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String TESTS = "alerts.test.yml";

    private final Path infra = MonitoringContract.locateInfraDir();

    @Test
    void ruleFilesPassPromtoolCheck() throws Exception {
        for (Path rules : MonitoringContract.ruleFiles(infra)) {
            Result r = run(infra.resolve("prometheus"), "promtool", "check", "rules", rules.toString());
            assertThat(r.exit).as(r.output).isZero();
        }
    }

    @Test
    void everyAlertHasAFiringAndAQuietCase() throws IOException {
        JsonNode tests = YAML.readTree(infra.resolve("prometheus").resolve(TESTS).toFile()).path("tests");
        Set<String> covered = new HashSet<>();
        for (JsonNode test : tests) {
            boolean hasHealthyInstance = false;
            for (JsonNode series : test.path("input_series")) {
                hasHealthyInstance |= series.path("series").asText().contains("instance=\"ok");
            }
            for (JsonNode check : test.path("alert_rule_test")) {
                List<String> firing = new ArrayList<>();
                for (JsonNode alert : check.path("exp_alerts")) {
                    firing.add(alert.path("exp_labels").path("instance").asText());
                }
                if (!firing.isEmpty() && hasHealthyInstance) {
                    assertThat(firing).as(test.path("name").asText()).allSatisfy(i -> assertThat(i).startsWith("bad"));
                    covered.add(check.path("alertname").asText());
                }
            }
        }
        assertThat(covered).as("alerts with a firing case next to a healthy instance in " + TESTS)
                .containsAll(MonitoringContract.alertNames(infra));
    }

    @Test
    void alertUnitTestsPass() throws Exception {
        // promtool compares annotations verbatim; the tests are about expressions, `for` and
        // labels, so they run against a copy of the rules without annotations.
        Path dir = Files.createTempDirectory("promtool-tests");
        for (Path rules : MonitoringContract.ruleFiles(infra)) {
            ObjectNode root = (ObjectNode) YAML.readTree(rules.toFile());
            for (JsonNode group : root.path("groups")) {
                for (JsonNode rule : group.path("rules")) {
                    ((ObjectNode) rule).remove("annotations");
                }
            }
            YAML.writeValue(dir.resolve(rules.getFileName()).toFile(), root);
        }
        Files.copy(infra.resolve("prometheus").resolve(TESTS), dir.resolve(TESTS));
        Result r = run(dir, "promtool", "test", "rules", TESTS);
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS");
    }

    private record Result(int exit, String output) {}

    private static Result run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
