package dev.notify.infrastructure.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.hibernate.SessionFactory;

/**
 * Brings the schema up to date with Flyway before the application takes any work, so that a
 * deployment needs nothing but an empty database, and then checks the JPA mapping against it: an
 * entity that drifts from the migrations fails the deployment, on every server and in every test
 * suite. Hibernate's own check at start ({@code hibernate.hbm2ddl.auto=validate}) would come too
 * early: the persistence unit starts before this bean, on a database not migrated yet. Flyway
 * manages its own transactions.
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

    @PersistenceUnit(unitName = "notify")
    EntityManagerFactory entityManagerFactory;

    @PostConstruct
    void migrate() {
        Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(lookup())
                .locations("classpath:db/migration")
                .load()
                .migrate();
        entityManagerFactory.unwrap(SessionFactory.class).getSchemaManager().validateMappedObjects();
    }

    private static DataSource lookup() {
        try {
            return InitialContext.doLookup(DATA_SOURCE);
        } catch (NamingException e) {
            throw new IllegalStateException("no data source bound at " + DATA_SOURCE + "; see server-config", e);
        }
    }
}
