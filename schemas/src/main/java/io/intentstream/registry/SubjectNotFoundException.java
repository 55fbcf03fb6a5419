package io.intentstream.registry;

/** The subject has no (undeleted) versions: Confluent error 40401. */
public class SubjectNotFoundException extends RegistryException {
    public SubjectNotFoundException(String message) {
        super(404, SUBJECT_NOT_FOUND, message);
    }
}
