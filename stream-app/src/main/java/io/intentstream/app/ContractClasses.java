package io.intentstream.app;

import org.apache.avro.util.ClassSecurityValidator;

import java.util.Set;

/**
 * Avro 1.12 only instantiates classes it trusts when a schema names them. The generated classes
 * of our own contract ({@code io.intentstream.events}, {@code io.intentstream.intent}) are safe to
 * trust; whatever else a schema may name keeps Avro's default policy.
 */
public final class ContractClasses {
    private static final Set<String> PACKAGES = Set.of("io.intentstream.events", "io.intentstream.intent");
    private static boolean installed;

    private ContractClasses() {}

    public static synchronized void trust() {
        if (!installed) {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(ClassSecurityValidator.getGlobal(),
                    c -> PACKAGES.contains(c.getPackageName())));
            installed = true;
        }
    }
}
