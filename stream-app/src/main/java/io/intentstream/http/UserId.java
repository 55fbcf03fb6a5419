package io.intentstream.http;

import java.util.regex.Pattern;

/**
 * The accepted shape of a user id in URLs: 1-128 characters of {@code [A-Za-z0-9._:@-]}. Ids of
 * real shops (numeric ids, UUIDs, e-mail-like or namespaced ids) fit; anything else is rejected
 * with 400 before touching a store, so odd input never reaches Kafka Streams or a peer instance.
 */
public final class UserId {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private UserId() {}

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
