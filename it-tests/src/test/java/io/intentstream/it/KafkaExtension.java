package io.intentstream.it;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(KafkaExtension.class)}: one {@link TestKafka} per test class, injected into
 * constructors, lifecycle and test methods, and closed after the class. A broker per class keeps
 * the classes independent (topic names are fixed by the contract) at ~3-7 s each.
 */
public final class KafkaExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return kafka(context);
    }

    private static TestKafka kafka(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        // Stored values that are AutoCloseable are closed when the class's context closes.
        return classContext.getStore(NAMESPACE).computeIfAbsent(TestKafka.class, k -> new TestKafka(), TestKafka.class);
    }
}
