package io.intentstream.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserIdTest {
    @Test
    void acceptsCommonIdShapes() {
        assertThat(UserId.isValid("12345")).isTrue();
        assertThat(UserId.isValid("3f2b6c1e-9d1a-4c3b-8a7e-1b2c3d4e5f60")).isTrue();
        assertThat(UserId.isValid("shop:eu:user@example.com")).isTrue();
        assertThat(UserId.isValid("a".repeat(128))).isTrue();
    }

    @Test
    void rejectsEmptyLongAndOddCharacters() {
        assertThat(UserId.isValid(null)).isFalse();
        assertThat(UserId.isValid("")).isFalse();
        assertThat(UserId.isValid("a".repeat(129))).isFalse();
        assertThat(UserId.isValid("a b")).isFalse();
        assertThat(UserId.isValid("a/b")).isFalse();
        assertThat(UserId.isValid("%41")).isFalse();
        assertThat(UserId.isValid("ü")).isFalse();
    }
}
