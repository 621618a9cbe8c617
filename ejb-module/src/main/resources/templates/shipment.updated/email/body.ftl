Hello,

your shipment ${payload.shipment_id} is now: ${payload.status}.
