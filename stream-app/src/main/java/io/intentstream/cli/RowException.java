package io.intentstream.cli;

/** A clickstream row that cannot be read; reported with its line number, never fatal. */
final class RowException extends Exception {
    RowException(String message) {
        super(message, null, false, false);
    }
}
