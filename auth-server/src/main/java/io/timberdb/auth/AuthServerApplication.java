package io.timberdb.auth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An OAuth2 authorization server for local use: issues the cluster's bearer tokens to the clients
 * of its configuration with the client-credentials grant (see {@link AuthServerConfiguration}).
 */
@SpringBootApplication
public class AuthServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(AuthServerApplication.class, args);
    }
}
