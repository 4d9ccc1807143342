package org.sessioncluster.webapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The session's state is one immutable value: each change is a new value one version on, the old one untouched,
 * and it survives Java serialization (what every replicating or storing manager does to it) whole.
 */
class ShopSessionTest {
    @Test
    void eachChangeIsANewValueOneVersionOnAndTheOldOneStaysAsItWas() {
        ShopSession fresh = ShopSession.createdOn("node-1");
        ShopSession ana = fresh.withUser("ana");
        ShopSession apple = ana.withItem("apple");
        ShopSession pear = apple.withItem("pear").counted();

        assertThat(fresh.version()).isZero();
        assertThat(fresh.user()).isNull();
        assertThat(ana.version()).isEqualTo(1);
        assertThat(apple.cart()).containsExactly("apple");
        assertThat(pear.cart()).containsExactly("apple", "pear");
        assertThat(pear.counter()).isEqualTo(1);
        assertThat(pear.version()).isEqualTo(4);
        assertThat(pear.createdBy()).isEqualTo("node-1");
        assertThat(apple.cart())
                .as("an earlier value is not changed by a later one")
                .containsExactly("apple");
        assertThat(pear.withEmptyCart().cart()).isEmpty();
        assertThat(pear.cart()).hasSize(2);
    }

    @Test
    void theCartGivenOutCannotChangeTheSession() {
        ShopSession s = ShopSession.createdOn("node-1").withItem("apple");
        List<String> cart = s.cart();
        try {
            cart.add("stolen");
        } catch (UnsupportedOperationException expected) {
            // a copy that cannot be changed: fine as well
        }
        assertThat(s.cart()).containsExactly("apple");
    }

    @Test
    void itSurvivesJavaSerializationWhole() throws Exception {
        ShopSession s = ShopSession.createdOn("node-2")
                .withUser("bea")
                .withItem("fig")
                .withPayload(512)
                .counted();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        ShopSession back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (ShopSession) in.readObject();
        }
        SessionState before =
                new SessionState("id", s.createdBy(), s.user(), s.cart(), s.counter(), s.payloadBytes(), s.version());
        SessionState after = new SessionState(
                "id", back.createdBy(), back.user(), back.cart(), back.counter(), back.payloadBytes(), back.version());
        assertThat(after).isEqualTo(before);
        assertThat(after.digest()).isEqualTo(before.digest()).hasSize(16);
        SessionState later = new SessionState(
                "id", s.createdBy(), s.user(), s.cart(), s.counter(), s.payloadBytes(), s.version() + 1);
        assertThat(later.digest()).as("the digest tells another version apart").isNotEqualTo(before.digest());
    }
}
