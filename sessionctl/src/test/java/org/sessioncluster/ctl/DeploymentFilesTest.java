package org.sessioncluster.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sessioncluster.config.ClusterConfig;
import org.sessioncluster.config.ConfigKeys;
import org.sessioncluster.config.NodeAddress;
import org.sessioncluster.config.SessionMode;
import org.sessioncluster.ctl.proxyconf.HaproxyConfig;

/**
 * docker/ checked without a Docker engine or a cluster (none runs here): the compose file, the
 * Dockerfile and the Kubernetes manifests parse, agree with each other and with cluster.properties, and
 * carry the settings that keep sessions and requests alive (health checks, rolling update, preStop).
 */
class DeploymentFilesTest {
    private static final Path DOCKER =
            TestClusters.configFile().toAbsolutePath().getParent().getParent().resolve("docker");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern SET = Pattern.compile("--set \"([a-z0-9.\\-]+)=([^\"]*)\"");

    /** The --set overrides the entrypoint gives the node, with $VARS replaced from {@code env}. */
    private static Map<String, String> entrypointOverrides(Map<String, String> env) throws IOException {
        String script = Files.readString(DOCKER.resolve("node-entrypoint.sh"));
        Map<String, String> sets = new LinkedHashMap<>();
        Matcher m = SET.matcher(script);
        while (m.find()) {
            String value = m.group(2);
            for (Map.Entry<String, String> e : env.entrySet()) {
                value = value.replace("$" + e.getKey(), e.getValue());
            }
            assertThat(value)
                    .as("every variable of --set " + m.group(1) + " is given")
                    .doesNotContain("$");
            sets.put(m.group(1), value);
        }
        assertThat(sets)
                .containsKeys(
                        ConfigKeys.SESSION_MODE,
                        ConfigKeys.NODES,
                        ConfigKeys.NODE_HOST,
                        ConfigKeys.REDIS_ADDRESS,
                        ConfigKeys.CLUSTER_MEMBERSHIP);
        return sets;
    }

    /** ENV defaults of the Dockerfile's run stage. */
    private static Map<String, String> dockerfileEnv() throws IOException {
        Map<String, String> env = new HashMap<>();
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        Matcher m = Pattern.compile("(?m)^\\s*(?:ENV\\s+)?([A-Z_]+)=(\"[^\"]*\"|\\S+)")
                .matcher(dockerfile.substring(dockerfile.lastIndexOf("ENV ")));
        while (m.find()) {
            env.put(m.group(1), m.group(2).replace("\"", ""));
        }
        return env;
    }

    @Test
    void dockerfileIsMultiStageNonRootWithAHealthCheck() throws IOException {
        String dockerfile = Files.readString(DOCKER.resolve("Dockerfile"));
        assertThat(Pattern.compile("(?m)^FROM ").matcher(dockerfile).results().count())
                .as("build stage + run stage")
                .isEqualTo(2);
        assertThat(dockerfile)
                .contains("AS build")
                .contains("./mvnw -q -B package -DskipTests")
                .containsPattern("(?m)^FROM eclipse-temurin:17-jre$")
                .containsPattern("(?m)^USER app$")
                .contains("HEALTHCHECK")
                .contains("/health")
                .contains("ENTRYPOINT [\"/app/node-entrypoint.sh\"]");
        assertThat(Files.isExecutable(DOCKER.resolve("node-entrypoint.sh"))).isTrue();
        Map<String, String> env = dockerfileEnv();
        assertThat(env)
                .containsKeys("SESSION_MODE", "NODE_NAME", "NODES", "REDIS_ADDRESS", "CLUSTER_MEMBERSHIP", "JAVA_OPTS");
        ClusterConfig config = ClusterConfig.load(TestClusters.configFile(), entrypointOverrides(env));
        assertThat(config.nodeOrTemplate(env.get("NODE_NAME")).host()).isEqualTo(env.get("NODE_NAME"));
    }

    @Test
    void composeRunsThreeNodesRedisAndHaproxyThatAgreeWithTheConfig() throws IOException {
        JsonNode compose = YAML.readTree(DOCKER.resolve("compose.yaml").toFile());
        JsonNode services = compose.get("services");
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactlyInAnyOrder("redis", "node-1", "node-2", "node-3", "haproxy");
        assertThat(services.get("redis").get("healthcheck").get("test").toString())
                .contains("redis-cli")
                .contains("ping");

        Map<String, String> dockerEnv = dockerfileEnv();
        for (String mode : List.of("local", "delta", "backup", "redis")) {
            for (int i = 1; i <= 3; i++) {
                JsonNode node = services.get("node-" + i);
                assertThat(node.get("hostname").asText()).isEqualTo("node-" + i);
                assertThat(node.get("build").get("dockerfile").asText()).isEqualTo("docker/Dockerfile");
                assertThat(node.get("depends_on").get("redis").get("condition").asText())
                        .isEqualTo("service_healthy");
                Map<String, String> env = new HashMap<>(dockerEnv);
                node.get("environment")
                        .fields()
                        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
                assertThat(env.get("SESSION_MODE"))
                        .as("the mode is one variable")
                        .isEqualTo("${SESSION_MODE:-redis}");
                env.put("SESSION_MODE", mode);
                ClusterConfig config = ClusterConfig.load(TestClusters.configFile(), entrypointOverrides(env));
                NodeAddress self = config.node(env.get("NODE_NAME"));
                assertThat(self.host())
                        .as("node-%d is reached by its service name", i)
                        .isEqualTo("node-" + i);
                URI redis = URI.create(config.redis().address());
                assertThat(services.has(redis.getHost()))
                        .as("Redis is the compose service " + redis.getHost())
                        .isTrue();
                assertThat(config.nodeCount()).isEqualTo(3);
                if (mode.equals("redis")) {
                    assertThat(config.sessionMode()).isEqualTo(SessionMode.REDIS);
                }
            }
        }

        JsonNode haproxy = services.get("haproxy");
        assertThat(haproxy.get("volumes").get(0).asText()).startsWith("./haproxy.cfg:");
        assertThat(haproxy.get("ports").get(0).asText()).isEqualTo("127.0.0.1:8080:8080");
        for (int i = 1; i <= 3; i++) {
            assertThat(haproxy.get("depends_on")
                            .get("node-" + i)
                            .get("condition")
                            .asText())
                    .isEqualTo("service_healthy");
        }
        ClusterConfig inContainers = ClusterConfig.load(
                TestClusters.configFile(), Map.of(ConfigKeys.NODE_HOST, "{name}", ConfigKeys.BALANCER_HOST, "0.0.0.0"));
        assertThat(Files.readString(DOCKER.resolve("haproxy.cfg")))
                .as(
                        "docker/haproxy.cfg is stale: scripts/sessionctl proxy-config haproxy --set 'node.host={name}' --set balancer.host=0.0.0.0 -o docker/haproxy.cfg")
                .isEqualTo(HaproxyConfig.render(inContainers));
    }

    private static List<JsonNode> manifests() throws IOException {
        JsonNode kustomization =
                YAML.readTree(DOCKER.resolve("k8s/kustomization.yaml").toFile());
        List<JsonNode> docs = new ArrayList<>();
        for (JsonNode file : kustomization.get("resources")) {
            Path path = DOCKER.resolve("k8s").resolve(file.asText());
            assertThat(path).isRegularFile();
            try (var parser = YAML.getFactory().createParser(path.toFile())) {
                YAML.readValues(parser, JsonNode.class).readAll().stream()
                        .filter(d -> d != null && !d.isEmpty())
                        .forEach(docs::add);
            }
        }
        return docs;
    }

    private static <T> T one(List<JsonNode> docs, String kind, String name, Class<T> type) {
        for (JsonNode d : docs) {
            if (d.get("kind").asText().equals(kind)
                    && d.get("metadata").get("name").asText().equals(name)) {
                return YAML.convertValue(d, type);
            }
        }
        throw new AssertionError("no " + kind + " " + name + " in docker/k8s");
    }

    @Test
    void kubernetesManifestsRollWithoutDowntimeAndAgreeWithTheConfig() throws IOException {
        List<JsonNode> docs = manifests();
        for (JsonNode d : docs) {
            assertThat(d.has("apiVersion") && d.has("kind") && d.get("metadata").has("name"))
                    .as(d.toString())
                    .isTrue();
        }
        ConfigMap configMap = one(docs, "ConfigMap", "session-cluster", ConfigMap.class);
        Deployment nodes = one(docs, "Deployment", "session-node", Deployment.class);
        Service service = one(docs, "Service", "session-node", Service.class);
        Service peers = one(docs, "Service", "session-node-peers", Service.class);
        Service redisService = one(docs, "Service", "session-redis", Service.class);
        one(docs, "Deployment", "session-redis", Deployment.class);
        Ingress ingress = one(docs, "Ingress", "session-cluster", Ingress.class);

        var strategy = nodes.getSpec().getStrategy();
        assertThat(strategy.getType()).isEqualTo("RollingUpdate");
        assertThat(strategy.getRollingUpdate().getMaxSurge().getIntVal()).isEqualTo(1);
        assertThat(strategy.getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        Container node = nodes.getSpec().getTemplate().getSpec().getContainers().get(0);
        for (Probe probe : List.of(node.getReadinessProbe(), node.getLivenessProbe())) {
            assertThat(probe.getHttpGet().getPath()).isEqualTo("/health");
            assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
        }
        assertThat(node.getLifecycle().getPreStop().getExec().getCommand()).contains("sleep 10");
        JsonNode compose = YAML.readTree(DOCKER.resolve("compose.yaml").toFile());
        assertThat(node.getImage())
                .as("the image compose builds")
                .isEqualTo(compose.get("services").get("node-1").get("image").asText());
        assertThat(nodes.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot())
                .isTrue();

        // every variable the entrypoint needs comes from the ConfigMap (or the pod's own name)
        Map<String, String> env = new HashMap<>(dockerfileEnv());
        for (EnvVar var : node.getEnv()) {
            if (var.getValueFrom().getFieldRef() != null) {
                assertThat(var.getName()).isEqualTo("NODE_NAME");
                assertThat(var.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
                env.put("NODE_NAME", "session-node-7d9f8c-x2x4q");
            } else {
                String key = var.getValueFrom().getConfigMapKeyRef().getKey();
                assertThat(var.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo("session-cluster");
                assertThat(configMap.getData()).as("ConfigMap key " + key).containsKey(key);
                env.put(var.getName(), configMap.getData().get(key));
            }
        }
        for (String mode : List.of("redis", "delta", "backup", "local")) {
            env.put("SESSION_MODE", mode);
            ClusterConfig config = ClusterConfig.load(TestClusters.configFile(), entrypointOverrides(env));
            NodeAddress pod = config.nodeOrTemplate(env.get("NODE_NAME"));
            assertThat(pod.name()).isEqualTo(env.get("NODE_NAME"));
            assertThat(node.getPorts())
                    .anySatisfy(p -> assertThat(p.getName().equals("http") && p.getContainerPort() == pod.httpPort())
                            .isTrue());
            assertThat(node.getPorts())
                    .anySatisfy(
                            p -> assertThat(p.getName().equals("cluster") && p.getContainerPort() == pod.clusterPort())
                                    .isTrue());
            URI redis = URI.create(config.redis().address());
            assertThat(redis.getHost()).isEqualTo(redisService.getMetadata().getName());
            assertThat(redisService.getSpec().getPorts().get(0).getPort()).isEqualTo(redis.getPort());
        }
        assertThat(configMap.getData().get("CLUSTER_MEMBERSHIP")).isEqualTo("dns");
        assertThat(configMap.getData().get("DNS_MEMBERSHIP_SERVICE_NAME"))
                .isEqualTo(peers.getMetadata().getName());
        assertThat(peers.getSpec().getClusterIP()).as("headless").isEqualTo("None");
        assertThat(peers.getSpec().getPublishNotReadyAddresses()).isTrue();

        Map<String, String> podLabels =
                nodes.getSpec().getTemplate().getMetadata().getLabels();
        for (Service s : List.of(service, peers)) {
            assertThat(podLabels).containsAllEntriesOf(s.getSpec().getSelector());
        }
        assertThat(service.getSpec().getPorts().get(0).getTargetPort().getStrVal())
                .isEqualTo("http");
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("traefik");
        var backend = ingress.getSpec()
                .getRules()
                .get(0)
                .getHttp()
                .getPaths()
                .get(0)
                .getBackend()
                .getService();
        assertThat(backend.getName()).isEqualTo(service.getMetadata().getName());
        assertThat(backend.getPort().getName())
                .isEqualTo(service.getSpec().getPorts().get(0).getName());
    }
}
