package dev.notify.infrastructure.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceUnit;

import org.hibernate.SessionFactory;

import dev.notify.persistence.Schema;

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

    /** Also bound for the rest of the application (Schema.ENTITY_MANAGER_FACTORY). */
    @PersistenceUnit(name = Schema.ENTITY_MANAGER_FACTORY, unitName = "notify")
    EntityManagerFactory entityManagerFactory;

    @PostConstruct
    void migrate() {
        Schema.migrations().migrate();
        entityManagerFactory.unwrap(SessionFactory.class).getSchemaManager().validateMappedObjects();
    }
}
