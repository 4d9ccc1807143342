package org.sessioncluster.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ParseTest {
    @Test
    void sshDestinations() {
        assertThat(SshEndpoint.parse("demo@127.0.0.1:2222")).isEqualTo(new SshEndpoint("demo", "127.0.0.1", 2222));
        assertThat(SshEndpoint.parse("ops@bastion.example")).isEqualTo(new SshEndpoint("ops", "bastion.example", 22));
        assertThatThrownBy(() -> SshEndpoint.parse("u@host:99999")).hasMessageContaining("out of range 1..65535");
        assertThat(SshEndpoint.parse("ops@[::1]:2022")).isEqualTo(new SshEndpoint("ops", "::1", 2022));
        for (String bad : new String[] {"", "host", "@host", "u@host:x", "u@ho st"}) {
            assertThatThrownBy(() -> SshEndpoint.parse(bad))
                    .as(bad)
                    .isInstanceOf(TunnelException.class)
                    .hasMessageContaining("user@host");
        }
    }

    @Test
    void forwards() {
        assertThat(ForwardSpec.parse("16379:10.0.0.5:6379"))
                .isEqualTo(new ForwardSpec("127.0.0.1", 16379, "10.0.0.5", 6379));
        assertThat(ForwardSpec.parse("0.0.0.0:8080:127.0.0.1:80"))
                .isEqualTo(new ForwardSpec("0.0.0.0", 8080, "127.0.0.1", 80));
        assertThat(ForwardSpec.parse("[::1]:0:redis:6379")).isEqualTo(new ForwardSpec("::1", 0, "redis", 6379));
        assertThatThrownBy(() -> ForwardSpec.parse("8080:host"))
                .hasMessageContaining("[bind:]port:target-host:target-port");
        assertThatThrownBy(() -> ForwardSpec.parse("8080:host:0")).hasMessageContaining("out of range 1..65535");
        assertThatThrownBy(() -> ForwardSpec.parse("70000:host:80")).hasMessageContaining("out of range 0..65535");
    }
}
