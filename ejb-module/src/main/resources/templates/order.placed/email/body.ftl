Hello,

thank you for your order ${payload.order_id}<#if payload.total??> of ${payload.total}</#if>. We will let you know when it ships.
