package io.timberdb.standalone;

import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.net.SyslogAppender;
import io.timberdb.ingest.syslog.SyslogServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The standalone's syslog listeners on real loopback sockets: RFC 5424 and RFC 3164 over TCP (both
 * framings) and UDP, and Logback's {@link SyslogAppender} (RFC 3164 over UDP) as a real client;
 * what they send is stored in the configured partition and queryable.
 */
class StandaloneSyslogTest extends StandaloneContext {

    @DynamicPropertySource
    static void syslog(DynamicPropertyRegistry registry) {
        registry.add("timberdb.ingest.syslog.tcp.enabled", () -> "true");
        registry.add("timberdb.ingest.syslog.tcp.port", () -> "0");
        registry.add("timberdb.ingest.syslog.udp.enabled", () -> "true");
        registry.add("timberdb.ingest.syslog.udp.port", () -> "0");
        registry.add("timberdb.ingest.syslog.linger", () -> "20ms");
        // Logback writes RFC 3164 timestamps in the JVM's zone
        registry.add("timberdb.ingest.syslog.rfc3164-zone", () -> ZoneId.systemDefault().getId());
    }

    @Autowired
    SyslogServer syslog;

    @Test
    void framesOverTcpAndUdpAndLogbacksSyslogAppenderAreStoredAndQueryable() throws IOException {
        awaitHealthy();
        createPartition("syslog");

        String counted = "<165>1 2026-11-26T10:30:00.123456+01:00 web-1 nginx 811 ACCESS [req@1 path=\"/a\\\"b\"] GET /a 200";
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), syslog.tcpPort())) {
            OutputStream out = socket.getOutputStream();
            out.write((counted.getBytes(StandardCharsets.UTF_8).length + " " + counted
                    + "<34>Nov 26 10:31:00 web-2 su: 'su root' failed\n").getBytes(StandardCharsets.UTF_8));
        }
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[] datagram = "<11>1 - db-1 postgres - - - checkpoint failed".getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), syslog.udpPort()));
        }
        awaitEntries(3);

        SyslogAppender appender = new SyslogAppender();
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender.setContext(logback);
        appender.setSyslogHost("127.0.0.1");
        appender.setPort(syslog.udpPort());
        appender.setFacility("LOCAL3");
        appender.setSuffixPattern("checkout[42]: %msg");
        appender.start();
        Logger logger = logback.getLogger("syslog-client");
        logger.setAdditive(false);
        logger.addAppender(appender);
        try {
            logger.error("payment failed for order 7");
            logger.info("order 8 placed");
        } finally {
            logger.detachAppender(appender);
            appender.stop();
        }
        awaitEntries(5);

        String host = InetAddress.getLocalHost().getHostName();
        query().expectBody()
                .jsonPath("$.entries[?(@.message == 'GET /a 200')].source").isEqualTo("web-1")
                .jsonPath("$.entries[?(@.message == 'GET /a 200')].timestamp").isEqualTo("2026-11-26T09:30:00.123456Z")
                .jsonPath("$.entries[?(@.message == 'GET /a 200')].tags.facility").isEqualTo("local4")
                .jsonPath("$.entries[?(@.message == 'GET /a 200')].tags.level").isEqualTo("info")
                .jsonPath("$.entries[?(@.message == 'GET /a 200')].tags.msgid").isEqualTo("ACCESS")
                .jsonPath("$.entries[?(@.message == 'GET /a 200')].tags['sd.req@1.path']").isEqualTo("/a\"b")
                .jsonPath("$.entries[?(@.message == \"'su root' failed\")].source").isEqualTo("web-2")
                .jsonPath("$.entries[?(@.message == \"'su root' failed\")].tags.severity").isEqualTo("crit")
                .jsonPath("$.entries[?(@.message == 'checkpoint failed')].source").isEqualTo("db-1")
                .jsonPath("$.entries[?(@.message == 'checkpoint failed')].tags.level").isEqualTo("error")
                .jsonPath("$.entries[?(@.message == 'payment failed for order 7')].source").isEqualTo(host)
                .jsonPath("$.entries[?(@.message == 'payment failed for order 7')].tags.app").isEqualTo("checkout")
                .jsonPath("$.entries[?(@.message == 'payment failed for order 7')].tags.procid").isEqualTo("42")
                .jsonPath("$.entries[?(@.message == 'payment failed for order 7')].tags.facility").isEqualTo("local3")
                .jsonPath("$.entries[?(@.message == 'payment failed for order 7')].tags.level").isEqualTo("error")
                .jsonPath("$.entries[?(@.message == 'order 8 placed')].tags.level").isEqualTo("info");
    }

    private WebTestClient.ResponseSpec query() {
        return http.post().uri("/api/v1/query/execute").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"filter\":{},\"partitions\":[\"syslog\"]}").exchange().expectStatus().isOk();
    }

    /** Waits for {@code count} entries: syslog has no acknowledgement to wait on. */
    private void awaitEntries(int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> query().expectBody()
                .jsonPath("$.matched_entries").isEqualTo(count));
    }
}
