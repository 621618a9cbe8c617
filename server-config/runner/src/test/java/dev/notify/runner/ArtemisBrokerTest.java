package dev.notify.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The broker.xml each broker gets: the product's, and for a broker of the pair, the pair's settings with its own role. */
class ArtemisBrokerTest {

    @TempDir
    Path folder;

    @Test
    void aBrokerAloneHasNoPolicyAndNoCluster() throws Exception {
        Document alone = written(ArtemisBroker.Role.ALONE);
        assertEquals(0, count(alone, "ha-policy"));
        assertEquals(0, count(alone, "cluster-connection"));
        assertEquals(1, count(alone, "acceptor"), "the product's own settings");
    }

    @Test
    void theBrokersOfThePairShareAStoreEachInItsRole() throws Exception {
        for (ArtemisBroker.Role role : new ArtemisBroker.Role[] {ArtemisBroker.Role.PRIMARY, ArtemisBroker.Role.BACKUP}) {
            Document broker = written(role);
            assertEquals(1, count(broker, "shared-store"), role.name());
            assertEquals(role == ArtemisBroker.Role.PRIMARY ? 1 : 0, count(broker, "primary"), role.name());
            assertEquals(role == ArtemisBroker.Role.BACKUP ? 1 : 0, count(broker, "backup"), role.name());
            assertEquals(1, count(broker, "cluster-connection"), "the pair announces the backup to clients");
            assertEquals(2, count(broker, "connector"), "both brokers");
            assertTrue(broker.getElementsByTagNameNS("*", "core").item(0).getTextContent().contains("${notify.broker.role}"),
                    "its role read from its own properties");
        }
    }

    private Document written(ArtemisBroker.Role role) throws Exception {
        Path brokerXml = folder.resolve(role.name() + ".xml");
        ArtemisBroker.writeBrokerXml(brokerXml, role);
        DocumentBuilderFactory parsing = DocumentBuilderFactory.newInstance();
        parsing.setNamespaceAware(true);
        return parsing.newDocumentBuilder().parse(brokerXml.toFile());
    }

    private static int count(Document broker, String element) {
        return broker.getElementsByTagNameNS("urn:activemq:core", element).getLength();
    }
}
