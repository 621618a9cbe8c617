package dev.notify.infrastructure.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

/**
 * Brings the schema up to date with Flyway before the application takes any work, so that a
 * deployment needs nothing but an empty database. Flyway manages its own transactions.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigration {

    /**
     * Looked up by name, not injected: a relative {@code @Resource(lookup)} name means
     * java:comp/env on WildFly, while Payara resource names cannot hold the ':' of an absolute one.
     */
    static final String DATA_SOURCE = "jdbc/notifications";

    @PostConstruct
    void migrate() {
        Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(lookup())
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    private static DataSource lookup() {
        try {
            return InitialContext.doLookup(DATA_SOURCE);
        } catch (NamingException e) {
            throw new IllegalStateException("no data source bound at " + DATA_SOURCE + "; see server-config", e);
        }
    }
}
