package io.timberdb.standalone.loki4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The loki4j Logback appender (2.0.0) as a test's Loki client, in protobuf+snappy or JSON mode.
 *
 * <p>loki4j's protobuf mode needs {@code loki-protobuf}, whose encoders are generated for
 * protobuf-java 4.x; the standalone's class path holds protobuf-java 3.25.5, because SOFAJRaft's
 * generated code does not run on 4.x. So the appender, its encoders, protobuf-java 4.x and Logback
 * load in a child-first class loader of their own, from the jars the build copies to
 * {@code target/loki4j-client}, with {@link Loki4jShipper} (from the test classes) driving them.
 * Only the JDK and snappy-java (one native library per process; the same version on both sides)
 * come from the test's class path.
 *
 * <p>Stateless; each {@link #ship} builds a fresh loader, context and appender.
 */
public final class Loki4jClient {

    /** One log event: its time, level, message, dynamic labels, MDC and key-value pairs. */
    public record Event(Instant time, String level, String message, Map<String, String> labels,
            Map<String, String> mdc, Map<String, String> kv) {
    }

    private final String url;
    private final boolean protobuf;
    private final String tenant;
    private final String labels;
    private final String metadata;

    /**
     * @param url      the push URL
     * @param protobuf protobuf+snappy ({@code true}) or JSON
     * @param tenant   sent as {@code X-Scope-OrgID}; {@code null}: none
     * @param labels   the appender's label pattern ({@code key=pattern} lines)
     * @param metadata the appender's structured-metadata pattern
     */
    public Loki4jClient(String url, boolean protobuf, String tenant, String labels, String metadata) {
        this.url = url;
        this.protobuf = protobuf;
        this.tenant = tenant;
        this.labels = labels;
        this.metadata = metadata;
    }

    /**
     * Appends the events through a new appender and stops it, which sends them.
     *
     * @return the warnings and errors loki4j reported (a refused push among them)
     */
    @SuppressWarnings("unchecked")
    public List<String> ship(List<Event> events) {
        Map<String, Object> request = new HashMap<>();
        request.put("url", url);
        request.put("protobuf", protobuf);
        request.put("tenant", tenant);
        request.put("labels", labels);
        request.put("metadata", metadata);
        List<Map<String, Object>> plain = new ArrayList<>();
        for (Event e : events) {
            plain.add(Map.of("time", e.time(), "level", e.level(), "message", e.message(), "labels", e.labels(),
                    "mdc", e.mdc(), "kv", e.kv()));
        }
        request.put("events", plain);
        try (URLClassLoader loader = new ChildFirstLoader(classPath())) {
            Class<?> shipper = loader.loadClass(Loki4jShipper.class.getName());
            return (List<String>) ((Function<Map<String, Object>, List<String>>) shipper.getConstructor().newInstance())
                    .apply(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the loki4j shipper", e);
        }
    }

    /** The test classes (for the shipper) and the jars in {@code target/loki4j-client}. */
    private static URL[] classPath() throws IOException {
        Path testClasses;
        try {
            testClasses = Path.of(Loki4jShipper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<URL> urls = new ArrayList<>();
        urls.add(testClasses.toUri().toURL());
        try (Stream<Path> jars = Files.list(testClasses.resolveSibling("loki4j-client"))) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                urls.add(toUrl(jar));
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static URL toUrl(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Child-first except for the JDK and snappy-java, which it takes from the test's loader. */
    private static final class ChildFirstLoader extends URLClassLoader {

        ChildFirstLoader(URL[] urls) {
            super("loki4j-client", urls, Loki4jClient.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && !name.startsWith("java.") && !name.startsWith("org.xerial.snappy.")) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notHere) {
                        // the JDK's other packages (javax.*, jdk.*, sun.*): the parent has them
                    }
                }
                if (c == null) {
                    c = getParent().loadClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
