package io.intentstream.sequence;

/**
 * What a shopper did, as one step of the model input. The names equal the sidecar's
 * {@code actions} entries; the numeric input id is looked up in the sidecar, never hard-coded.
 */
public enum StepAction {
    VIEW, SEARCH, ADD_TO_CART, REMOVE_FROM_CART, CHECKOUT;

    private static final StepAction[] VALUES = values();

    static StepAction fromCode(int code) {
        if (code < 0 || code >= VALUES.length) {
            throw new IllegalArgumentException("unknown step action code " + code);
        }
        return VALUES[code];
    }
}
