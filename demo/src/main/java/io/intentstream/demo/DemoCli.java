package io.intentstream.demo;

import io.intentstream.cli.IntentStreamCli;
import picocli.CommandLine;

/**
 * Entry point of {@code intent-stream-demo.jar}: the production CLI ({@code run}, {@code replay})
 * plus {@code demo}, which needs the in-process broker and registry server that only this jar carries.
 */
public final class DemoCli {
    private DemoCli() {}

    public static void main(String[] args) {
        IntentStreamCli.prepareJvm();
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return IntentStreamCli.commandLine().addSubcommand("demo", new DemoCommand());
    }
}
