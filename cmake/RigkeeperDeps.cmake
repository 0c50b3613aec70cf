# Every dependency comes from Debian's packages (see scripts/deps.sh for the list).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(tl-expected REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(pugixml REQUIRED)
# Header-only; Debian's package config sets RAPIDJSON_INCLUDE_DIRS and no target.
find_package(RapidJSON 1.1 REQUIRED)
add_library(rk_rapidjson INTERFACE)
target_include_directories(rk_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIRS})

# Paho's CMake package config on Debian needs a FindPahoMqttC module it does not ship; the
# libraries themselves are enough. paho-mqtt3as is the asynchronous client with TLS.
find_library(PAHO_MQTTPP_LIB NAMES paho-mqttpp3 REQUIRED)
find_library(PAHO_MQTT_C_LIB NAMES paho-mqtt3as REQUIRED)
find_path(PAHO_MQTTPP_INCLUDE NAMES mqtt/async_client.h REQUIRED)
add_library(rk_paho INTERFACE)
target_link_libraries(rk_paho INTERFACE ${PAHO_MQTTPP_LIB} ${PAHO_MQTT_C_LIB} Threads::Threads)
target_include_directories(rk_paho SYSTEM INTERFACE ${PAHO_MQTTPP_INCLUDE})

