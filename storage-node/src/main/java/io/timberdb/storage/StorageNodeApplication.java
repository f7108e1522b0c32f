package io.timberdb.storage;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The storage node process: WAL-backed shards behind the internal shard API (port 7821 by default). */
@SpringBootApplication
public class StorageNodeApplication {

    public static void main(String[] args) {
        SpringApplication.run(StorageNodeApplication.class, args);
    }
}
