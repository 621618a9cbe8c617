Guten Tag,

Ihre Sendung ${payload.shipment_id} hat jetzt den Status: ${payload.status}.
