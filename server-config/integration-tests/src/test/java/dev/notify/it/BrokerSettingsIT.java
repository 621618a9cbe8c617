package dev.notify.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;

/**
 * The product's broker.xml as the broker applied it: a typo in an address-setting match leaves
 * the broker's defaults (10 attempts, no delay) without a word.
 */
class BrokerSettingsIT {

    @Test
    void eventAddressesGetTheProductsRetryAndDeadLetterSettings() {
        AddressSettings settings = TestInfrastructure.broker().getActiveMQServer()
                .getAddressSettingsRepository().getMatch(Broker.EVENTS_TOPIC);

        assertEquals(1000, settings.getRedeliveryDelay());
        assertEquals(2.0, settings.getRedeliveryMultiplier());
        assertEquals(60000, settings.getMaxRedeliveryDelay());
        assertEquals(5, settings.getMaxDeliveryAttempts());
        assertEquals("DLA", settings.getDeadLetterAddress().toString());
        assertTrue(settings.isAutoCreateDeadLetterResources());
        assertEquals("DLQ.", settings.getDeadLetterQueuePrefix().toString());
        assertEquals("ExpiryQueue", settings.getExpiryAddress().toString());
    }

    @Test
    void brokerRequiresALogin() {
        assertTrue(TestInfrastructure.broker().getActiveMQServer().getConfiguration().isSecurityEnabled());
    }
}
