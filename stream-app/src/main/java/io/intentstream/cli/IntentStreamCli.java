package io.intentstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code intent-stream.jar}: {@code run}, {@code demo}, {@code replay}. */
@Command(name = "intent-stream", mixinStandardHelpOptions = true, versionProvider = IntentStreamCli.Version.class,
        description = "Real-time shopper-intent engine: Kafka Streams + an embedded ONNX next-action model.",
        subcommands = {RunCommand.class, DemoCommand.class, ReplayCommand.class, CommandLine.HelpCommand.class})
public final class IntentStreamCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
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
