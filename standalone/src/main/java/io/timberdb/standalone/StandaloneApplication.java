package io.timberdb.standalone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * TimberDB in one process: coordinator (a single-voter Raft group), storage, ingest and query,
 * wired in-process. Started by {@code ./timberdb up}.
 */
@SpringBootApplication
public class StandaloneApplication {

    public static void main(String[] args) {
        String[] springArgs;
        try {
            springArgs = LaunchArguments.translate(args);
        } catch (IllegalArgumentException e) {
            System.err.println("timberdb: " + e.getMessage());
            System.exit(2);
            return;
        }
        SpringApplication.run(StandaloneApplication.class, springArgs);
    }
}
