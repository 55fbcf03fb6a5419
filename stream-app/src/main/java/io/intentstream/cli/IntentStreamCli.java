package io.intentstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the production jar {@code intent-stream.jar}: {@code run} and {@code replay}. The
 * {@code demo} command lives in the demo module's jar, which adds itself to this command line.
 */
@Command(name = "intent-stream", mixinStandardHelpOptions = true, versionProvider = IntentStreamCli.Version.class,
        description = "Real-time shopper-intent engine: Kafka Streams + an embedded ONNX next-action model.",
        subcommands = {RunCommand.class, ReplayCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "The demo (in-process broker, registry, simulated shoppers) is in its own jar:",
                "  ./intent-stream demo      (demo/target/intent-stream-demo.jar)",
                "This production jar carries no broker."})
public final class IntentStreamCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Longest string/bytes and most collection items one Avro value may claim (16 Mi). */
    static final String AVRO_LIMIT = Integer.toString(16 << 20);

    public static void main(String[] args) {
        prepareJvm();
        System.exit(commandLine().execute(args));
    }

    /** JVM-wide limits every entry point (this one and the demo's) sets before anything else runs. */
    public static void prepareJvm() {
        boundAvroAllocations();
        // Before the demo's registry or any other HTTP server fixes the JVM-wide limits.
        io.intentstream.http.HttpServerLimits.install();
    }

    /**
     * Avro allocates what a length prefix claims before reading the bytes, so garbage on an input
     * topic could ask for gigabytes. Our records are far below Kafka's message size, so cap the
     * claims (Avro reads these once, before its first decode); -D on the command line still wins.
     */
    static void boundAvroAllocations() {
        for (String key : new String[] {"org.apache.avro.limits.string.maxLength",
                "org.apache.avro.limits.bytes.maxLength", "org.apache.avro.limits.collectionItems.maxLength"}) {
            if (System.getProperty(key) == null) {
                System.setProperty(key, AVRO_LIMIT);
            }
        }
    }

    public static CommandLine commandLine() {
        return new CommandLine(new IntentStreamCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(IntentStreamCli::failed);
    }

    /** Start-up failures are operator errors (no broker, bad config, no model): say so in one line. */
    private static int failed(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        cli.getErr().println("intent-stream " + cli.getCommandName() + " failed: " + e.getMessage()
                + (e.getCause() != null && e.getCause().getMessage() != null && !e.getMessage().contains(e.getCause().getMessage())
                        ? " (" + e.getCause().getMessage() + ")" : ""));
        if (System.getenv("INTENTSTREAM_DEBUG") != null) {
            e.printStackTrace(cli.getErr());
        } else {
            cli.getErr().println("(set INTENTSTREAM_DEBUG=1 for the stack trace)");
        }
        return 1;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = IntentStreamCli.class.getPackage().getImplementationVersion();
            return new String[] {"intent-stream " + (v == null ? "dev" : v)};
        }
    }
}
