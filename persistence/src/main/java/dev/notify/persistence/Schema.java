package dev.notify.persistence;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.persistence.EntityManagerFactory;

import org.flywaydb.core.Flyway;

/**
 * The schema's migrations (db/migration) on the application's data source, as Flyway sees them:
 * SchemaMigration (in the EJB module) applies them at deployment, the startup check reads them.
 */
public final class Schema {

    /**
     * Looked up by name, not injected: a relative {@code @Resource(lookup)} name means
     * java:comp/env on WildFly, while Payara resource names cannot hold the ':' of an absolute one.
     */
    public static final String DATA_SOURCE = "jdbc/notifications";

    /**
     * Where SchemaMigration binds the persistence unit for code outside the modules: the health
     * checks in lib/ get no injection on Payara, and the server calls them on threads that have no
     * java:app context on WildFly. Global, so one server runs one deployment of the service.
     */
    public static final String ENTITY_MANAGER_FACTORY = "java:global/notify/entity-manager-factory";

    private Schema() {
    }

    public static Flyway migrations() {
        return Flyway.configure(Schema.class.getClassLoader())
                .dataSource(lookup(DATA_SOURCE, DataSource.class))
                .locations("classpath:db/migration")
                .load();
    }

    public static EntityManagerFactory entityManagerFactory() {
        return lookup(ENTITY_MANAGER_FACTORY, EntityManagerFactory.class);
    }

    private static <T> T lookup(String name, Class<T> type) {
        try {
            return type.cast(InitialContext.doLookup(name));
        } catch (NamingException e) {
            throw new IllegalStateException("nothing bound at " + name + "; see server-config and SchemaMigration", e);
        }
    }
}
