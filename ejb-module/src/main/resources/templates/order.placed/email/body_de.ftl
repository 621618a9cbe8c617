Guten Tag,

danke für Ihre Bestellung ${payload.order_id}<#if payload.total??> über ${payload.total}</#if>. Wir melden uns, sobald sie unterwegs ist.
