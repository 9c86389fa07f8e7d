//! Geocoding and driving routes for visits, from one of two providers:
//!
//! - Google: the Geocoding API (`GET {LANES_GOOGLE_MAPS_URL}/maps/api/geocode/json`) and the
//!   Routes API (`POST {LANES_GOOGLE_ROUTES_URL}/directions/v2:computeRoutes`), with
//!   `LANES_GOOGLE_MAPS_API_KEY`;
//! - OpenStreetMap, self-hosted: Nominatim (`GET {LANES_NOMINATIM_URL}/search`) and OSRM
//!   (`GET {LANES_OSRM_URL}/route/v1/driving/…` and `/trip/v1/driving/…`).
//!
//! Precedence: Google when its key is set, else OpenStreetMap when `LANES_NOMINATIM_URL` is set
//! (routing then needs `LANES_OSRM_URL` too), else none. Upstream failures are 502s naming the
//! service and its status or code; API keys travel only in the request and never reach a log
//! (transport errors go through `integrations::unreachable`).

use serde::{Deserialize, de::DeserializeOwned};
use serde_json::{Value, json};

use super::{bad_gateway, send, unreachable};
use crate::{
    error::AppError,
    model::Leg,
    server::{AppState, config::Settings},
};

/// Google's Routes API optimises at most this many intermediate waypoints.
pub const MAX_OPTIMIZED_STOPS: usize = 25;

/// Which maps provider this server uses: "google", "openstreetmap", or `None` (for `/health`).
pub fn maps_provider(settings: &Settings) -> Option<&'static str> {
    Provider::of(settings).map(Provider::name)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Provider {
    Google,
    OpenStreetMap,
}

impl Provider {
    fn of(settings: &Settings) -> Option<Provider> {
        let integrations = &settings.integrations;
        if integrations.google_maps_api_key.is_some() {
            Some(Provider::Google)
        } else if integrations.nominatim_url.is_some() {
            Some(Provider::OpenStreetMap)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Provider::Google => "google",
            Provider::OpenStreetMap => "openstreetmap",
        }
    }
}

/// A position in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lng: f64,
}

impl Point {
    /// `lat,lng` as Google Maps links and Google's APIs write it.
    pub fn lat_lng(self) -> String {
        format!("{:.6},{:.6}", self.lat, self.lng)
    }
    /// `lng,lat`, OSRM's order.
    fn lng_lat(self) -> String {
        format!("{:.6},{:.6}", self.lng, self.lat)
    }
}

/// Where a route starts: a position (the phone's) or an address.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    Point(Point),
    Address(String),
}

impl Place {
    /// Reads `origin`: `"lat,lng"` (degrees, in range) or else an address (at most 300 characters).
    pub fn parse(text: &str) -> Result<Place, AppError> {
        let text = text.trim();
        if text.is_empty() || text.len() > 300 || text.chars().any(char::is_control) {
            return Err(AppError::invalid(
                "origin",
                "origin: give \"lat,lng\" or an address of at most 300 characters",
            ));
        }
        let numbers = text
            .split_once(',')
            .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)));
        match numbers {
            Some((lat, lng)) if lat.is_finite() && lng.is_finite() && lat.abs() <= 90.0 && lng.abs() <= 180.0 => {
                Ok(Place::Point(Point { lat, lng }))
            }
            Some(_) => {
                Err(AppError::invalid("origin", "origin: latitude must be within ±90 and longitude within ±180"))
            }
            None => Ok(Place::Address(text.to_owned())),
        }
    }

    /// The text a Google Maps link takes.
    pub fn link_text(&self) -> String {
        match self {
            Place::Point(point) => point.lat_lng(),
            Place::Address(address) => address.clone(),
        }
    }
}

/// One routed drive, in metres and seconds; `static_seconds` is the duration without traffic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drive {
    pub meters: i64,
    pub seconds: i64,
    pub static_seconds: Option<i64>,
}

impl Drive {
    pub fn leg(self) -> Leg {
        Leg {
            distance: format_distance(self.meters),
            duration: format_duration(self.seconds),
            distance_meters: self.meters,
            duration_seconds: self.seconds,
        }
    }

    /// "Light/Moderate/Heavy traffic expected", from the delay traffic adds (Google only).
    pub fn traffic_info(self) -> Option<String> {
        let free_flow = self.static_seconds.filter(|s| *s > 0)?;
        let delay = (self.seconds - free_flow).max(0);
        // A delay under a tenth of the trip (or a minute) is no traffic worth a word.
        if delay * 10 <= free_flow || delay < 60 {
            return Some("Light traffic expected".into());
        }
        let level = if delay * 10 <= free_flow * 3 { "Moderate" } else { "Heavy" };
        Some(format!("{level} traffic expected (+{})", format_duration(delay)))
    }
}

/// A day's stops in driving order: `order[i]` is the index (into the stops given) of the i-th
/// stop; `legs` are start → first, …, last → start.
#[derive(Debug, Clone, PartialEq)]
pub struct Trip {
    pub order: Vec<usize>,
    pub legs: Vec<Drive>,
}

/// "850 m", "12.5 km".
pub fn format_distance(meters: i64) -> String {
    if meters < 1000 { format!("{meters} m") } else { format!("{:.1} km", meters as f64 / 1000.0) }
}

/// "1 min", "25 mins", "1 hour 5 mins", "2 hours" (rounded to the minute, like Google Maps).
pub fn format_duration(seconds: i64) -> String {
    let minutes = ((seconds + 30) / 60).max(1);
    let plural = |n: i64, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    match (minutes / 60, minutes % 60) {
        (0, m) => plural(m, "min"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} {}", plural(h, "hour"), plural(m, "min")),
    }
}

/// The configured maps provider with what it needs to call out.
pub struct Maps<'a> {
    provider: Provider,
    state: &'a AppState,
}

impl<'a> Maps<'a> {
    /// `None` when no maps provider is configured.
    pub fn from_state(state: &'a AppState) -> Option<Maps<'a>> {
        Provider::of(&state.settings).map(|provider| Maps { provider, state })
    }

    pub fn name(&self) -> &'static str {
        self.provider.name()
    }

    fn settings(&self) -> &crate::server::config::IntegrationSettings {
        &self.state.settings.integrations
    }

    /// The position of `address`; `None` when the provider knows no such place.
    pub async fn geocode(&self, address: &str) -> Result<Option<Point>, AppError> {
        match self.provider {
            Provider::Google => self.google_geocode(address).await,
            Provider::OpenStreetMap => self.nominatim_search(address).await,
        }
    }

    /// The drive from `from` to `to`, departing at `departure` (RFC 3339, future) or now.
    /// `None` when this provider cannot route (OpenStreetMap without `LANES_OSRM_URL`).
    pub async fn route(&self, from: &Place, to: Point, departure: Option<&str>) -> Result<Option<Drive>, AppError> {
        match self.provider {
            Provider::Google => {
                let mut body = json!({
                    "origin": google_waypoint(from),
                    "destination": google_waypoint(&Place::Point(to)),
                    "travelMode": "DRIVE",
                    "routingPreference": "TRAFFIC_AWARE",
                });
                if let Some(departure) = departure {
                    body["departureTime"] = json!(departure);
                }
                let reply: GoogleRoutes =
                    self.compute_routes("routes.distanceMeters,routes.duration,routes.staticDuration", &body).await?;
                let route = reply.routes.into_iter().next().ok_or_else(no_route)?;
                Ok(Some(Drive {
                    meters: route.distance_meters,
                    seconds: google_seconds(route.duration.as_deref())?,
                    static_seconds: route.static_duration.as_deref().map(|d| google_seconds(Some(d))).transpose()?,
                }))
            }
            Provider::OpenStreetMap => {
                let Some(osrm) = self.settings().osrm_url.clone() else { return Ok(None) };
                let from = self.point_of(from).await?;
                let url = format!("{osrm}/route/v1/driving/{};{}", from.lng_lat(), to.lng_lat());
                let request = self.state.http.get(url).query(&[("overview", "false")]);
                let reply: OsrmRoutes = fetch_json("osrm", "OSRM", request).await?;
                osrm_ok(&reply.code)?;
                let route = reply.routes.into_iter().next().ok_or_else(no_route)?;
                Ok(Some(Drive {
                    meters: route.distance.round() as i64,
                    seconds: route.duration.round() as i64,
                    static_seconds: None,
                }))
            }
        }
    }

    /// The shortest round trip from `start` through every stop and back; `None` when this
    /// provider cannot route. At most `MAX_OPTIMIZED_STOPS` stops.
    pub async fn optimize(
        &self,
        start: &Place,
        stops: &[Point],
        departure: Option<&str>,
    ) -> Result<Option<Trip>, AppError> {
        let n = stops.len();
        match self.provider {
            Provider::Google => {
                let mut body = json!({
                    "origin": google_waypoint(start),
                    "destination": google_waypoint(start),
                    "intermediates": stops.iter().map(|p| google_waypoint(&Place::Point(*p))).collect::<Vec<_>>(),
                    "travelMode": "DRIVE",
                    "routingPreference": "TRAFFIC_AWARE",
                    "optimizeWaypointOrder": true,
                });
                if let Some(departure) = departure {
                    body["departureTime"] = json!(departure);
                }
                let mask = "routes.optimizedIntermediateWaypointIndex,routes.legs.distanceMeters,routes.legs.duration,routes.legs.staticDuration";
                let reply: GoogleRoutes = self.compute_routes(mask, &body).await?;
                let route = reply.routes.into_iter().next().ok_or_else(no_route)?;
                let legs = route
                    .legs
                    .iter()
                    .map(|leg| {
                        Ok(Drive {
                            meters: leg.distance_meters,
                            seconds: google_seconds(leg.duration.as_deref())?,
                            static_seconds: leg
                                .static_duration
                                .as_deref()
                                .map(|d| google_seconds(Some(d)))
                                .transpose()?,
                        })
                    })
                    .collect::<Result<Vec<_>, AppError>>()?;
                // One intermediate has nothing to reorder; Google may leave the index out then.
                let mut order = route.optimized_intermediate_waypoint_index;
                if order.is_empty() && n == 1 {
                    order.push(0);
                }
                checked_trip("Google Routes", order, legs, n).map(Some)
            }
            Provider::OpenStreetMap => {
                let Some(osrm) = self.settings().osrm_url.clone() else { return Ok(None) };
                let start = self.point_of(start).await?;
                let coordinates: Vec<String> =
                    std::iter::once(start).chain(stops.iter().copied()).map(Point::lng_lat).collect();
                let url = format!("{osrm}/trip/v1/driving/{}", coordinates.join(";"));
                let request = self.state.http.get(url).query(&[
                    ("roundtrip", "true"),
                    ("source", "first"),
                    ("overview", "false"),
                ]);
                let reply: OsrmTrip = fetch_json("osrm", "OSRM", request).await?;
                osrm_ok(&reply.code)?;
                let [trip] = <[OsrmLegs; 1]>::try_from(reply.trips)
                    .map_err(|_| bad_gateway("OSRM", "found no single trip through every stop"))?;
                // `waypoint_index` is each input's position in the trip; input 0 is the start.
                let mut by_position: Vec<(i64, usize)> =
                    reply.waypoints.iter().skip(1).enumerate().map(|(stop, w)| (w.waypoint_index, stop)).collect();
                by_position.sort_unstable();
                let order = by_position.into_iter().map(|(_, stop)| stop as i64).collect();
                let legs = trip
                    .legs
                    .iter()
                    .map(|leg| Drive {
                        meters: leg.distance.round() as i64,
                        seconds: leg.duration.round() as i64,
                        static_seconds: None,
                    })
                    .collect();
                checked_trip("OSRM", order, legs, n).map(Some)
            }
        }
    }

    /// A start for OSRM, which routes only between positions: addresses are geocoded first.
    async fn point_of(&self, place: &Place) -> Result<Point, AppError> {
        match place {
            Place::Point(point) => Ok(*point),
            Place::Address(address) => self.geocode(address).await?.ok_or_else(|| {
                AppError::invalid("origin", format!("origin: the maps provider found no place called {address:?}"))
            }),
        }
    }

    async fn google_geocode(&self, address: &str) -> Result<Option<Point>, AppError> {
        let settings = self.settings();
        let Some(key) = &settings.google_maps_api_key else { return Ok(None) };
        let url = format!("{}/maps/api/geocode/json", settings.google_maps_url);
        let request = self.state.http.get(url).query(&[("address", address), ("key", key.expose())]);
        let reply: GoogleGeocode = fetch_json("google_maps", "Google Geocoding", request).await?;
        match reply.status.as_str() {
            "OK" => Ok(reply
                .results
                .into_iter()
                .next()
                .map(|r| Point { lat: r.geometry.location.lat, lng: r.geometry.location.lng })),
            "ZERO_RESULTS" => Ok(None),
            other => Err(bad_gateway("Google Geocoding", format!("answered {}", upstream_code(other)))),
        }
    }

    async fn nominatim_search(&self, address: &str) -> Result<Option<Point>, AppError> {
        let Some(base) = &self.settings().nominatim_url else { return Ok(None) };
        // Nominatim's usage policy asks every client to identify itself.
        let agent = match &self.state.settings.public_url {
            Some(url) => format!("Lanes/{} (CRM visit planning; {url})", env!("CARGO_PKG_VERSION")),
            None => format!("Lanes/{} (CRM visit planning)", env!("CARGO_PKG_VERSION")),
        };
        let request = self
            .state
            .http
            .get(format!("{base}/search"))
            .header(reqwest::header::USER_AGENT, agent)
            .query(&[("format", "jsonv2"), ("limit", "1"), ("q", address)]);
        let places: Vec<NominatimPlace> = fetch_json("nominatim", "Nominatim", request).await?;
        let Some(place) = places.into_iter().next() else { return Ok(None) };
        match (place.lat.parse::<f64>(), place.lon.parse::<f64>()) {
            (Ok(lat), Ok(lng)) if lat.abs() <= 90.0 && lng.abs() <= 180.0 => Ok(Some(Point { lat, lng })),
            _ => Err(bad_gateway("Nominatim", "sent a position Lanes could not read")),
        }
    }

    async fn compute_routes<T: DeserializeOwned>(&self, field_mask: &str, body: &Value) -> Result<T, AppError> {
        let settings = self.settings();
        let Some(key) = &settings.google_maps_api_key else {
            return Err(super::not_configured("Google Maps", "LANES_GOOGLE_MAPS_API_KEY"));
        };
        let request = self
            .state
            .http
            .post(format!("{}/directions/v2:computeRoutes", settings.google_routes_url))
            .header("X-Goog-Api-Key", key.expose())
            .header("X-Goog-FieldMask", field_mask)
            .json(body);
        fetch_json("google_maps", "Google Routes", request).await
    }
}

/// A Routes API waypoint for a position or an address.
fn google_waypoint(place: &Place) -> Value {
    match place {
        Place::Point(p) => json!({"location": {"latLng": {"latitude": p.lat, "longitude": p.lng}}}),
        Place::Address(address) => json!({"address": address}),
    }
}

/// Google's durations are strings of seconds: `"1500s"` (fractions possible).
fn google_seconds(text: Option<&str>) -> Result<i64, AppError> {
    text.and_then(|t| t.strip_suffix('s'))
        .and_then(|t| t.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| s.round() as i64)
        .ok_or_else(|| bad_gateway("Google Routes", "sent a duration Lanes could not read"))
}

fn no_route() -> AppError {
    AppError::invalid("origin", "origin: the maps provider found no driving route from there")
}

fn osrm_ok(code: &str) -> Result<(), AppError> {
    match code {
        "Ok" => Ok(()),
        "NoRoute" | "NoTrips" => Err(no_route()),
        other => Err(bad_gateway("OSRM", format!("answered {}", upstream_code(other)))),
    }
}

/// Checks a provider's visiting order is a permutation of the stops with one leg more.
fn checked_trip(service: &str, order: Vec<i64>, legs: Vec<Drive>, stops: usize) -> Result<Trip, AppError> {
    let mut seen = vec![false; stops];
    let order: Option<Vec<usize>> = order
        .into_iter()
        .map(|i| {
            let i = usize::try_from(i).ok().filter(|i| *i < stops)?;
            (!std::mem::replace(&mut seen[i], true)).then_some(i)
        })
        .collect();
    match order {
        Some(order) if order.len() == stops && legs.len() == stops + 1 => Ok(Trip { order, legs }),
        _ => Err(bad_gateway(service, "sent a route order Lanes could not read")),
    }
}

/// An upstream status or error code, reduced to what is safe to show and log.
fn upstream_code(code: &str) -> String {
    let code: String = code.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect();
    if code.is_empty() { "an unknown status".into() } else { code }
}

/// Sends `request` and reads a JSON answer. Non-2xx answers are 502s carrying the HTTP status
/// and the upstream's own code (Google's `error.status`/`status`, OSRM's `code`).
async fn fetch_json<T: DeserializeOwned>(
    service: &'static str,
    label: &str,
    request: reqwest::RequestBuilder,
) -> Result<T, AppError> {
    let response = send(service, request).await.map_err(|e| unreachable(label, &e))?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| unreachable(label, &e))?;
    if !status.is_success() {
        let parsed: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let code = [&parsed["error"]["status"], &parsed["status"], &parsed["code"]]
            .into_iter()
            .find_map(|v| v.as_str())
            .map(|c| format!(" ({})", upstream_code(c)))
            .unwrap_or_default();
        return Err(bad_gateway(label, format!("answered HTTP {}{code}", status.as_u16())));
    }
    serde_json::from_slice(&body).map_err(|_| bad_gateway(label, "sent a reply Lanes could not read"))
}

#[derive(Deserialize)]
struct GoogleGeocode {
    status: String,
    #[serde(default)]
    results: Vec<GoogleGeocodeResult>,
}

#[derive(Deserialize)]
struct GoogleGeocodeResult {
    geometry: GoogleGeometry,
}

#[derive(Deserialize)]
struct GoogleGeometry {
    location: GoogleLatLng,
}

#[derive(Deserialize)]
struct GoogleLatLng {
    lat: f64,
    lng: f64,
}

#[derive(Deserialize)]
struct GoogleRoutes {
    #[serde(default)]
    routes: Vec<GoogleRoute>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GoogleRoute {
    #[serde(default)]
    distance_meters: i64,
    duration: Option<String>,
    static_duration: Option<String>,
    #[serde(default)]
    legs: Vec<GoogleLeg>,
    #[serde(default)]
    optimized_intermediate_waypoint_index: Vec<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GoogleLeg {
    #[serde(default)]
    distance_meters: i64,
    duration: Option<String>,
    static_duration: Option<String>,
}

#[derive(Deserialize)]
struct NominatimPlace {
    lat: String,
    lon: String,
}

#[derive(Deserialize)]
struct OsrmRoutes {
    code: String,
    #[serde(default)]
    routes: Vec<OsrmLegs>,
}

#[derive(Deserialize)]
struct OsrmLegs {
    distance: f64,
    duration: f64,
    #[serde(default)]
    legs: Vec<OsrmLeg>,
}

#[derive(Deserialize)]
struct OsrmLeg {
    distance: f64,
    duration: f64,
}

#[derive(Deserialize)]
struct OsrmTrip {
    code: String,
    #[serde(default)]
    waypoints: Vec<OsrmWaypoint>,
    #[serde(default)]
    trips: Vec<OsrmLegs>,
}

#[derive(Deserialize)]
struct OsrmWaypoint {
    waypoint_index: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_durations_read_like_google_maps() {
        assert_eq!(format_distance(850), "850 m");
        assert_eq!(format_distance(12_500), "12.5 km");
        assert_eq!(format_duration(20), "1 min");
        assert_eq!(format_duration(1500), "25 mins");
        assert_eq!(format_duration(3600), "1 hour");
        assert_eq!(format_duration(3900), "1 hour 5 mins");
        assert_eq!(format_duration(7200 + 60), "2 hours 1 min");
    }

    #[test]
    fn traffic_is_judged_by_the_delay() {
        let drive = |seconds, static_seconds| Drive { meters: 1, seconds, static_seconds };
        assert_eq!(drive(1500, Some(1450)).traffic_info().as_deref(), Some("Light traffic expected"));
        assert_eq!(drive(1500, Some(1200)).traffic_info().as_deref(), Some("Moderate traffic expected (+5 mins)"));
        assert_eq!(drive(2400, Some(1200)).traffic_info().as_deref(), Some("Heavy traffic expected (+20 mins)"));
        assert_eq!(drive(2400, None).traffic_info(), None);
    }

    #[test]
    fn origins_are_positions_or_addresses() {
        assert_eq!(Place::parse(" 59.91, 10.75 ").unwrap(), Place::Point(Point { lat: 59.91, lng: 10.75 }));
        assert_eq!(
            Place::parse("10 Downing Street, London").unwrap(),
            Place::Address("10 Downing Street, London".into())
        );
        assert_eq!(Place::parse("91,10").unwrap_err().field.as_deref(), Some("origin"));
        assert!(Place::parse("  ").is_err());
        assert!(Place::parse(&"x".repeat(301)).is_err());
    }

    #[test]
    fn a_trip_order_must_name_every_stop_once() {
        let legs = |n| vec![Drive { meters: 1, seconds: 1, static_seconds: None }; n];
        assert_eq!(checked_trip("t", vec![1, 0], legs(3), 2).unwrap().order, vec![1, 0]);
        assert!(checked_trip("t", vec![0, 0], legs(3), 2).is_err());
        assert!(checked_trip("t", vec![0, 2], legs(3), 2).is_err());
        assert!(checked_trip("t", vec![1, 0], legs(2), 2).is_err());
    }
}
