//! The field side: open tasks by scope, and visits (planned `visit` activities on accounts):
//! planning one with directions, and ordering a day's visits into the shortest route.

use super::{Access, RowExt, activities, resource::Resource};
use crate::{
    error::AppError,
    model::{
        Account, Activity, ActivityInput, ActivityStatus, ActivityType, DayPlan, DayPlanRequest, DayStop, PlannedVisit,
        SkippedVisit, Task, TaskFeedItem, TaskScope, Visit, VisitDirections, VisitLocation, VisitRequest, validate,
    },
    server::{
        AppState,
        integrations::maps::{Drive, MAX_OPTIMIZED_STOPS, Maps, Place, Point, format_distance, format_duration},
        sql::Sql,
        time,
    },
};

/// Most rows a field list shows.
const FIELD_LIMIT: i64 = 200;

pub async fn open_tasks(state: &AppState, access: &Access, scope: TaskScope) -> Result<Vec<TaskFeedItem>, AppError> {
    let now = time::now();
    let mut sql = Sql::new(&format!(
        "SELECT {}, a.name AS account_name FROM tasks k LEFT JOIN accounts a ON a.account_id = k.account_id \
         WHERE k.status NOT IN ('completed', 'cancelled')",
        Task::COLUMNS
    ));
    Task::restrict(access, &mut sql);
    match scope {
        TaskScope::Mine => {
            sql.push(" AND k.assigned_to = ").bind(access.me());
        }
        TaskScope::Team => {}
        TaskScope::Overdue => {
            sql.push(" AND k.due_date < ").bind(&now);
        }
        TaskScope::DueToday => {
            let day = &now[..10];
            sql.push(" AND k.due_date >= ")
                .bind(format!("{day}T00:00:00Z"))
                .push(" AND k.due_date <= ")
                .bind(format!("{day}T23:59:59Z"));
        }
    }
    sql.push(" ORDER BY COALESCE(k.due_date, '9999'), k.task_id LIMIT ").bind(FIELD_LIMIT);
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let task = Task::from_row(row)?;
            let overdue = task.due_date.as_deref().is_some_and(|due| due < now.as_str());
            Ok(TaskFeedItem { task, account_name: row.opt_text("account_name")?, overdue })
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

/// The address of the account joined into `row` (its billing columns), as one line.
fn address_in_row(row: &sqlx::any::AnyRow) -> Result<Option<String>, sqlx::Error> {
    Ok(address_of(
        row.opt_text("billing_address")?,
        row.opt_text("city")?,
        row.opt_text("state")?,
        row.opt_text("postal_code")?,
        row.opt_text("country")?,
    ))
}

/// The account's address as one line.
fn address_of(
    billing: Option<String>,
    city: Option<String>,
    state: Option<String>,
    postal: Option<String>,
    country: Option<String>,
) -> Option<String> {
    let parts: Vec<String> = [
        billing,
        city,
        state.map(|s| match &postal {
            Some(p) => format!("{s} {p}"),
            None => s,
        }),
        country,
    ]
    .into_iter()
    .flatten()
    .filter(|p| !p.trim().is_empty())
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// A Google Maps directions link to `address` (works without a key, on phones it opens the app).
pub fn directions_url(address: &str) -> String {
    maps_link(None, address, &[])
}

/// A Google Maps directions link (no key needed): from `origin` (default: where the phone is)
/// through `waypoints` in order to `destination`.
pub fn maps_link(origin: Option<&str>, destination: &str, waypoints: &[String]) -> String {
    let encode = crate::model::form_encode;
    let mut url = String::from("https://www.google.com/maps/dir/?api=1");
    if let Some(origin) = origin {
        url.push_str(&format!("&origin={}", encode(origin)));
    }
    url.push_str(&format!("&destination={}", encode(destination)));
    if !waypoints.is_empty() {
        url.push_str(&format!("&waypoints={}", encode(&waypoints.join("|"))));
    }
    url.push_str("&travelmode=driving");
    url
}

pub async fn upcoming_visits(state: &AppState, access: &Access) -> Result<Vec<Visit>, AppError> {
    let today = format!("{}T00:00:00Z", &time::now()[..10]);
    let mut sql = Sql::new(&format!(
        "SELECT {}, a.name AS account_name, a.billing_address, a.city, a.state, a.postal_code, a.country \
         FROM activities t LEFT JOIN accounts a ON a.account_id = t.account_id \
         WHERE t.activity_type = 'visit' AND t.status = 'planned' AND t.assigned_to = ",
        Activity::COLUMNS
    ));
    sql.bind(access.me())
        .push(" AND COALESCE(t.start_time, t.due_date, t.created_at) >= ")
        .bind(today)
        .push(" ORDER BY COALESCE(t.start_time, t.due_date, t.created_at), t.activity_id LIMIT ")
        .bind(FIELD_LIMIT);
    let rows = sql.query().fetch_all(state.db.pool()).await?;
    Ok(rows
        .iter()
        .map(|row| {
            let address = address_in_row(row)?;
            Ok(Visit {
                activity: Activity::from_row(row)?,
                account_name: row.opt_text("account_name")?,
                navigate_url: address.as_deref().map(directions_url),
                address,
            })
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

/// `<input type="datetime-local">` sends `YYYY-MM-DDTHH:MM`: take it as UTC.
fn visit_time(when: &str) -> Result<String, AppError> {
    let when = if when.len() == 16 { format!("{when}:00Z") } else { when.to_owned() };
    validate::optional_time("scheduled_time", Some(when))?
        .ok_or_else(|| AppError::invalid("scheduled_time", "scheduled_time: pick a date and time"))
}

/// Where routes start: the request's `origin`, else `LANES_VISIT_ORIGIN` (ignored when unusable).
fn start_of(state: &AppState, origin: Option<&str>) -> Result<Option<Place>, AppError> {
    match origin.filter(|o| !o.trim().is_empty()) {
        Some(origin) => Place::parse(origin).map(Some),
        None => Ok(state.settings.integrations.visit_origin.as_deref().and_then(|o| Place::parse(o).ok())),
    }
}

/// Google accepts a departure time only in the future; a visit due now or in the past is
/// routed as leaving now.
fn future_departure(when: &str) -> Option<&str> {
    let soon = time::format(chrono::Utc::now() + chrono::Duration::minutes(1));
    (when > soon.as_str()).then_some(when)
}

/// The account's position: its cached coordinates while its address is the one they were found
/// for, else geocoded now and cached (`accounts.latitude/longitude/geocoded_address`; a cache,
/// so the account's `version` does not change). `None` when the provider knows no such place.
async fn locate(
    state: &AppState,
    maps: &Maps<'_>,
    account_id: &str,
    address: &str,
    cached: CachedPosition,
) -> Result<Option<Point>, AppError> {
    if let (Some(lat), Some(lng), Some(geocoded)) = (cached.latitude, cached.longitude, cached.geocoded_address)
        && geocoded == address
    {
        return Ok(Some(Point { lat, lng }));
    }
    let found = maps.geocode(address).await?;
    if let Some(point) = found {
        sqlx::query("UPDATE accounts SET latitude = $1, longitude = $2, geocoded_address = $3 WHERE account_id = $4")
            .bind(point.lat)
            .bind(point.lng)
            .bind(address)
            .bind(account_id)
            .execute(state.db.pool())
            .await?;
    }
    Ok(found)
}

/// An account's cached geocoding result, as read with its row.
struct CachedPosition {
    latitude: Option<f64>,
    longitude: Option<f64>,
    geocoded_address: Option<String>,
}

fn cached_position(row: &sqlx::any::AnyRow) -> Result<CachedPosition, sqlx::Error> {
    use sqlx::Row;
    Ok(CachedPosition {
        latitude: row.try_get("latitude")?,
        longitude: row.try_get("longitude")?,
        geocoded_address: row.opt_text("geocoded_address")?,
    })
}

/// `POST /integrations/google-maps/visit`: plans a visit (a planned `visit` activity on the
/// account, assigned to the caller) with where it is and how to get there. Without a maps
/// provider only the address and a Google Maps link are given. An address the provider cannot
/// find is a 400 and plans nothing; an upstream failure is a 502 and plans nothing.
pub async fn plan_visit(state: &AppState, access: &Access, request: VisitRequest) -> Result<PlannedVisit, AppError> {
    access.ensure_can_create()?;
    let start = visit_time(&request.scheduled_time)?;
    let purpose = validate::required_text("purpose", &request.purpose, 200)?;
    let origin = start_of(state, request.origin.as_deref())?;
    let account: Account = super::resource::get(state, access, &request.account_id).await?;
    let address = address_of(
        account.billing_address.clone(),
        account.city.clone(),
        account.state.clone(),
        account.postal_code.clone(),
        account.country.clone(),
    );
    let maps = Maps::from_state(state);
    let mut point = None;
    let mut drive = None;
    if let (Some(maps), Some(address)) = (&maps, &address) {
        let row = sqlx::query("SELECT latitude, longitude, geocoded_address FROM accounts WHERE account_id = $1")
            .bind(&account.account_id)
            .fetch_one(state.db.pool())
            .await?;
        point = locate(state, maps, &account.account_id, address, cached_position(&row)?).await?;
        let Some(to) = point else {
            return Err(AppError::invalid(
                "account_id",
                format!("address not found: {} found no place for the account's address {address:?}", maps.name()),
            ));
        };
        if let Some(from) = &origin {
            drive = maps.route(from, to, future_departure(&start)).await?;
        }
    }

    let input = ActivityInput {
        subject: purpose.clone(),
        activity_type: ActivityType::Visit,
        status: Some(ActivityStatus::Planned),
        start_time: Some(start.clone()),
        due_date: Some(start.clone()),
        account_id: Some(account.account_id.clone()),
        description: Some(format!("Visit to {}", account.name)),
        ..ActivityInput::new_visit()
    };
    let mut tx = state.db.begin_write().await?;
    let visit_id = activities::create_in(&mut tx, access, input).await?;
    sqlx::query("UPDATE activities SET location_address = $1, latitude = $2, longitude = $3 WHERE activity_id = $4")
        .bind(address.clone())
        .bind(point.map(|p| p.lat))
        .bind(point.map(|p| p.lng))
        .bind(&visit_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    let origin_text = origin.as_ref().map(Place::link_text);
    Ok(PlannedVisit {
        success: true,
        visit_id,
        account_id: account.account_id,
        purpose,
        scheduled_time: start,
        directions: VisitDirections {
            distance: drive.map(|d| format_distance(d.meters)),
            duration: drive.map(|d| format_duration(d.seconds)),
            route_url: address.as_deref().map(|a| maps_link(origin_text.as_deref(), a, &[])),
            traffic_info: drive.and_then(Drive::traffic_info),
            distance_meters: drive.map(|d| d.meters),
            duration_seconds: drive.map(|d| d.seconds),
        },
        location: VisitLocation { address, latitude: point.map(|p| p.lat), longitude: point.map(|p| p.lng) },
        status: "planned".into(),
        timestamp: time::now(),
        provider: maps.as_ref().map(|m| m.name().to_owned()),
    })
}

/// `POST /visits/plan-day`: a rep's planned visits of one (UTC) day in the shortest round trip
/// from the start (`origin`, else `LANES_VISIT_ORIGIN`), with one navigation link. Without a
/// provider or a start the stops keep their planned order. Visits whose address is missing or
/// cannot be found are listed in `skipped` with the reason.
pub async fn plan_day(state: &AppState, access: &Access, request: DayPlanRequest) -> Result<DayPlan, AppError> {
    access.ensure_can_create()?;
    let date = chrono::NaiveDate::parse_from_str(request.date.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("date", "date: give a day as YYYY-MM-DD"))?
        .format("%Y-%m-%d")
        .to_string();
    let user_id = match request.user_id.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => access.me().to_owned(),
        Some(me) if me == access.me() => me.to_owned(),
        Some(other) => {
            if !access.user.manages_all() {
                return Err(AppError::forbidden("user_id: only a manager or admin may plan another user's day"));
            }
            let mut conn = state.db.pool().acquire().await?;
            super::records::ensure_user(&mut conn, "user_id", other).await?;
            other.to_owned()
        }
    };
    let origin = start_of(state, request.origin.as_deref())?;

    let mut sql = Sql::new(
        "SELECT t.activity_id, t.subject, COALESCE(t.start_time, t.due_date) AS planned, t.account_id, \
         a.name AS account_name, a.billing_address, a.city, a.state, a.postal_code, a.country, \
         a.latitude, a.longitude, a.geocoded_address \
         FROM activities t LEFT JOIN accounts a ON a.account_id = t.account_id \
         WHERE t.activity_type = 'visit' AND t.status = 'planned' AND t.assigned_to = ",
    );
    sql.bind(&user_id)
        .push(" AND COALESCE(t.start_time, t.due_date) >= ")
        .bind(format!("{date}T00:00:00Z"))
        .push(" AND COALESCE(t.start_time, t.due_date) <= ")
        .bind(format!("{date}T23:59:59Z"))
        .push(" ORDER BY COALESCE(t.start_time, t.due_date), t.activity_id LIMIT ")
        .bind(FIELD_LIMIT);
    let rows = sql.query().fetch_all(state.db.pool()).await?;

    let maps = Maps::from_state(state);
    let mut stops = Vec::new();
    let mut skipped = Vec::new();
    for row in &rows {
        let visit_id = row.text("activity_id")?;
        let purpose = row.text("subject")?;
        let account_name = row.opt_text("account_name")?;
        let account_id = row.opt_text("account_id")?;
        let address = address_in_row(row)?;
        let skip = |reason: String| SkippedVisit {
            visit_id: visit_id.clone(),
            account_name: account_name.clone(),
            purpose: purpose.clone(),
            reason,
        };
        let Some(address) = address else {
            skipped.push(skip("the account has no address".into()));
            continue;
        };
        if stops.len() == MAX_OPTIMIZED_STOPS {
            skipped.push(skip(format!("a day is routed through at most {MAX_OPTIMIZED_STOPS} visits")));
            continue;
        }
        let mut point = None;
        if let (Some(maps), Some(account_id)) = (&maps, &account_id) {
            point = locate(state, maps, account_id, &address, cached_position(row)?).await?;
            if point.is_none() {
                skipped.push(skip(format!("address not found: {} found no place for {address:?}", maps.name())));
                continue;
            }
        }
        stops.push(DayStop {
            visit_id,
            account_id,
            account_name,
            purpose,
            scheduled_time: row.opt_text("planned")?,
            address,
            latitude: point.map(|p| p.lat),
            longitude: point.map(|p| p.lng),
            leg: None,
        });
    }

    let mut optimized = false;
    let mut return_leg = None;
    let mut total = None;
    let note = match (&maps, &origin) {
        _ if stops.is_empty() => None,
        (None, _) => Some("No maps provider is configured: the stops keep their planned order.".to_owned()),
        (Some(_), None) => {
            Some("No start given (origin or LANES_VISIT_ORIGIN): the stops keep their planned order.".to_owned())
        }
        (Some(maps), Some(start)) => {
            let points: Vec<Point> =
                stops.iter().filter_map(|s| Some(Point { lat: s.latitude?, lng: s.longitude? })).collect();
            let departure = stops.first().and_then(|s| s.scheduled_time.as_deref()).and_then(future_departure);
            let trip = maps.optimize(start, &points, departure).await?;
            match trip {
                None => Some(
                    "The maps provider cannot route (set LANES_OSRM_URL): the stops keep their planned order."
                        .to_owned(),
                ),
                Some(trip) => {
                    let mut unordered: Vec<Option<DayStop>> =
                        std::mem::take(&mut stops).into_iter().map(Some).collect();
                    stops = trip.order.iter().filter_map(|i| unordered[*i].take()).collect();
                    for (stop, drive) in stops.iter_mut().zip(&trip.legs) {
                        stop.leg = Some(drive.leg());
                    }
                    return_leg = trip.legs.last().map(|d| d.leg());
                    let (meters, seconds) = trip.legs.iter().fold((0, 0), |(m, s), d| (m + d.meters, s + d.seconds));
                    total = Some(Drive { meters, seconds, static_seconds: None }.leg());
                    optimized = true;
                    None
                }
            }
        }
    };

    // One link through every stop: back to the start when there is one, else ending at the last stop.
    let places: Vec<String> = stops
        .iter()
        .map(|s| match (s.latitude, s.longitude) {
            (Some(lat), Some(lng)) => Point { lat, lng }.lat_lng(),
            _ => s.address.clone(),
        })
        .collect();
    let origin_text = origin.as_ref().map(Place::link_text);
    let route_url = match (&origin_text, places.split_last()) {
        (_, None) => None,
        (Some(start), Some(_)) => Some(maps_link(Some(start.as_str()), start, &places)),
        (None, Some((last, before))) => Some(maps_link(None, last, before)),
    };
    Ok(DayPlan {
        date,
        user_id,
        origin: origin_text,
        provider: maps.as_ref().map(|m| m.name().to_owned()),
        optimized,
        note,
        stops,
        return_leg,
        total,
        route_url,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::directions_url;

    #[test]
    fn directions_links_encode_the_address() {
        assert_eq!(
            directions_url("123 Tech Street, San Francisco, CA 94105"),
            "https://www.google.com/maps/dir/?api=1&destination=123+Tech+Street%2C+San+Francisco%2C+CA+94105&travelmode=driving"
        );
    }
}
