package io.intentstream.model;

/** Child process of {@link OrtStartupTest}: opens the ORT environment through the guard. */
public final class OrtStartupMain {
    private OrtStartupMain() {}

    public static void main(String[] args) {
        try {
            OrtStartup.environment();
            System.out.println("ORT environment ready");
        } catch (IllegalStateException e) {
            System.out.println(e.getMessage());
            System.exit(1);
        }
    }
}
