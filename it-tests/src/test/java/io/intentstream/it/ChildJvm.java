package io.intentstream.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The product started the way users start it: a separate JVM running the CLI, from the jar users
 * run (the demo jar for {@code demo}, the production jar otherwise) when it has been built, else
 * from this test run's classpath. Output goes to a log file that failing assertions quote.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;

    /** Heap of a child JVM: 512m for tests; the live benchmark raises it (-Dintentstream.child.heap). */
    static final String HEAP = System.getProperty("intentstream.child.heap", "512m");

    /** Extra JVM options of every child, space-separated (e.g. a flight recording while benchmarking). */
    static final List<String> OPTIONS = List.of(System.getProperty("intentstream.child.jvm.options", "").split(" +"))
            .stream().filter(o -> !o.isBlank()).toList();

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ChildJvm start(Path log, List<String> cliArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + HEAP);
        command.add("-Djava.net.preferIPv4Stack=true");
        command.addAll(OPTIONS);
        boolean demo = !cliArgs.isEmpty() && cliArgs.get(0).equals("demo");
        Path jar = demo ? builtJar("demo", "intent-stream-demo.jar") : builtJar("stream-app", "intent-stream.jar");
        if (jar != null) {
            command.add("-jar");
            command.add(jar.toString());
        } else {
            // The class path goes in CLASSPATH, not -cp: ONNX Runtime crashes a JVM whose command line
            // is longer than about 4 KB (see OrtStartup).
            command.add(demo ? "io.intentstream.demo.DemoCli" : "io.intentstream.cli.IntentStreamCli");
        }
        command.addAll(cliArgs);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("INTENTSTREAM_LOG_LEVEL", "INFO");
            if (jar == null) {
                builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
            }
            return new ChildJvm(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A main class of this (test) class path in a child JVM, e.g. a benchmark's comparison app. */
    static ChildJvm startMain(Path log, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP, "-Djava.net.preferIPv4Stack=true"));
        command.addAll(OPTIONS);
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
            return new ChildJvm(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU seconds (user + system) the process has used so far, from /proc (Linux). */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** {@code <module>/target/<name>} if built (and not disabled), else null. */
    static Path builtJar(String module, String name) {
        if (Boolean.getBoolean("intentstream.it.classpath")) {
            return null;
        }
        Path jar = Path.of(System.getProperty("intentstream.repo.root", ".."), module, "target", name);
        return Files.isRegularFile(jar) ? jar : null;
    }

    /** Waits until the app answers {@code /health/ready} on {@code port}; fails at once, with the log tail, if it exits. */
    public void awaitReady(int port, Duration timeout) {
        try {
            Await.until("app ready on port " + port, timeout, () -> {
                if (!isAlive()) {
                    throw new AssertionError("the app exited");
                }
                return Http.status("http://127.0.0.1:" + port + "/health/ready") == 200;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + tail(), e);
        }
    }

    /** The exit status of a process that has ended. */
    public int exitCode() {
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no commit, no leave-group; the crash exactly-once must survive. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    /** SIGTERM and wait; returns the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not stop within " + timeout + " after SIGTERM\n" + tail());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    public String tail() {
        String out = output();
        return "--- " + log + " (tail) ---\n" + out.substring(Math.max(0, out.length() - 6000));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
