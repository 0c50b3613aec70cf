#pragma once
/// MqttLinkOptions checked and turned into Paho 1.2.0 create/connect options. Kept apart from
/// the link so the checks are testable without a broker.
#include <mqtt/connect_options.h>
#include <mqtt/create_options.h>

#include "agent/mqtt/broker_uri.h"
#include "agent/mqtt/mqtt_link.h"
#include "drivers/api/result.h"

namespace rigkeeper::agent {

/// Everything that can be wrong before the first attempt, all as Errc::kConfig naming the
/// option or file: the broker URL, an empty or oversized client id, a TLS file (CA,
/// certificate, key) missing or unreadable on an ssl:// or mqtts:// URL, a key without a
/// certificate, a bad Last Will (wildcards in its topic, QoS outside 0-2), a zero
/// max_inflight. Returns the parsed URL.
Result<BrokerUri> check_link_options(const MqttLinkOptions& options);

/// Create options: MQTT v5 (the persistence format is chosen at creation), no offline
/// buffering (publishing while disconnected fails at once; our outbox is the buffer).
mqtt::create_options make_create_options();

/// Connect options used for every attempt: MQTT v5, clean start off with the configured
/// session expiry (the broker keeps our subscriptions and queued QoS 1 commands across short
/// outages), keepalive, Paho's automatic reconnect off, the Will, credentials, and TLS for
/// ssl:// URLs. Filled in place into a default-constructed `conn` that the caller keeps alive as
/// long as the client (Paho #325): Paho 1.2.0's move assignment leaves the connect-properties
/// pointer aimed at the moved-from object, so these options must never be moved or assigned.
void fill_connect_options(const MqttLinkOptions& options, const BrokerUri& uri,
                          mqtt::connect_options& conn);

/// Whether any TLS option is set (they are ignored, with a warning, on a tcp:// URL).
bool has_tls_settings(const MqttLinkOptions& options);

}  // namespace rigkeeper::agent
