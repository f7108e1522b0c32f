package io.timberdb.security.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class SecurityPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SecurityProperties.class)
    static class Props {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Props.class);

    @Test
    void defaultsToOffWithAMinuteOfSkewAndTheTenantClaim() {
        runner.run(context -> {
            SecurityProperties props = context.getBean(SecurityProperties.class);
            assertThat(props.mode()).isEqualTo(SecurityProperties.Mode.OFF);
            assertThat(props.clockSkew()).isEqualTo(Duration.ofSeconds(60));
            assertThat(props.tenantClaim()).isEqualTo("tenant");
            assertThat(props.audiences()).isEmpty();
        });
        runner.withPropertyValues("timberdb.security.mode=local").run(context -> {
            SecurityProperties props = context.getBean(SecurityProperties.class);
            assertThat(props.expectedIssuer()).isEqualTo("timberdb-local");
            assertThat(props.expectedAudiences()).containsExactly("timberdb");
        });
    }

    @Test
    void boundsTheClockSkewAndRefusesAnUnknownMode() {
        runner.withPropertyValues("timberdb.security.clock-skew=5m").run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues("timberdb.security.clock-skew=6m").run(context -> assertThat(context).hasFailed()
                .getFailure().hasStackTraceContaining("clockSkew"));
        runner.withPropertyValues("timberdb.security.clock-skew=-1s").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("timberdb.security.mode=basic").run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("timberdb.security.tenant-claim= ").run(context -> assertThat(context).hasFailed());
    }
}
