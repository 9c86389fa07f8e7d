//! Orders of the logistics side: what won deals turn into.

use sqlx::any::AnyRow;

use super::{
    Access, Filter, FilterKind, ListSpec, RowExt, SortKey, Write,
    opportunities::{record_stage_change, stage_rule},
    resource::{self, Resource, record_meta},
};
use crate::{
    error::AppError,
    model::{
        BosOrderDetails, BosOrderRequest, BosOrderResult, Opportunity, OpportunityStage, Order, OrderStatus,
        OrderStatusChange, money, validate,
    },
    server::{AppState, ids, outbox, sql::Sql, time},
};

impl Resource for Order {
    const TABLE: &'static str = "orders";
    const ALIAS: &'static str = "d";
    const ID: &'static str = "order_id";
    const PREFIX: &'static str = ids::ORDER;
    const NOUN: &'static str = "Order";
    const COLUMNS: &'static str = "d.order_id, d.account_id, d.opportunity_id, d.product_id, d.quantity, \
         d.unit_price_cents, d.total_amount_cents, d.currency, d.special_requirements, d.status, d.order_date, \
         d.created_by, d.sync_status, d.version, d.created_at, d.updated_at";
    const HOLDERS: &'static [&'static str] = &["created_by"];

    /// `GET /orders`: status, account (`account_id` or the contract's `customer_id`), deal and
    /// order-date range.
    const LIST: ListSpec = ListSpec {
        filters: &[
            Filter { param: "status", column: "d.status", kind: FilterKind::Enum(OrderStatus::check) },
            Filter { param: "account_id", column: "d.account_id", kind: FilterKind::Id(ids::ACCOUNT) },
            Filter { param: "customer_id", column: "d.account_id", kind: FilterKind::Id(ids::ACCOUNT) },
            Filter { param: "opportunity_id", column: "d.opportunity_id", kind: FilterKind::Id(ids::OPPORTUNITY) },
            Filter { param: "date_from", column: "d.order_date", kind: FilterKind::From },
            Filter { param: "date_to", column: "d.order_date", kind: FilterKind::To },
        ],
        search: &["d.product_id", "d.special_requirements"],
        sorts: &[
            SortKey { name: "order_date", expr: "d.order_date" },
            SortKey { name: "created_at", expr: "d.created_at" },
            SortKey { name: "total_amount", expr: "d.total_amount_cents" },
        ],
        id_column: "d.order_id",
    };

    fn from_row(row: &AnyRow) -> Result<Order, sqlx::Error> {
        let account_id = row.text("account_id")?;
        Ok(Order {
            order_id: row.text("order_id")?,
            customer_id: account_id.clone(),
            account_id,
            opportunity_id: row.opt_text("opportunity_id")?,
            product_id: row.text("product_id")?,
            quantity: row.int("quantity")?,
            unit_price: row.money("unit_price_cents")?,
            total_amount: row.money("total_amount_cents")?,
            currency: row.text("currency")?,
            special_requirements: row.opt_text("special_requirements")?,
            status: row.parse("status")?,
            order_date: row.text("order_date")?,
            version: row.int("version")?,
            created_at: row.text("created_at")?,
            updated_at: row.text("updated_at")?,
            created_by: row.opt_text("created_by")?,
            sync_status: row.opt_text("sync_status")?,
        })
    }

    record_meta!(created_by);

    /// A restricted caller sees orders they placed and orders of accounts or deals they own.
    fn restrict(access: &Access, sql: &mut Sql) {
        if !access.restricted {
            return;
        }
        let me = access.me().to_owned();
        sql.push(" AND (d.created_by = ")
            .bind(&me)
            .push(" OR EXISTS (SELECT 1 FROM accounts ra WHERE ra.account_id = d.account_id AND ra.owner_id = ")
            .bind(&me)
            .push(") OR EXISTS (SELECT 1 FROM opportunities ro WHERE ro.opportunity_id = d.opportunity_id AND ro.owner_id = ")
            .bind(&me)
            .push("))");
    }
}

/// `PATCH /orders/{id}/status`: moves an order along its life; an illegal move is a 409.
pub async fn change_status(
    state: &AppState,
    access: &Access,
    order_id: &str,
    change: OrderStatusChange,
) -> Result<Order, AppError> {
    resource::retry_on_race(None, || change_status_once(state, access, order_id, change.clone())).await
}

async fn change_status_once(
    state: &AppState,
    access: &Access,
    order_id: &str,
    change: OrderStatusChange,
) -> Result<Order, AppError> {
    let mut tx = state.db.begin_write().await?;
    let (current, version) = resource::load_for_change::<Order>(&mut tx, state, access, order_id, None).await?;
    if current.status == change.status {
        return Ok(current);
    }
    if !current.status.can_move_to(change.status) {
        let allowed: Vec<&str> = current.status.next().iter().map(|s| s.as_str()).collect();
        return Err(AppError::conflict(format!(
            "An order that is {} cannot become {} (allowed: {})",
            current.status,
            change.status,
            if allowed.is_empty() { "none".to_owned() } else { allowed.join(", ") }
        )));
    }
    let order = resource::save(&mut tx, order_id, version, Write::new().set("status", change.status.as_str())).await?;
    tx.commit().await?;
    Ok(order)
}

/// The longest `Idempotency-Key` we keep.
const MAX_IDEMPOTENCY_KEY: usize = 200;
/// Totals stay exact as JSON numbers (f64) below this many cents.
const MAX_TOTAL_CENTS: i64 = 9_000_000_000_000_000;

/// `POST /integrations/bos/order`: turns a won (or still open) deal into an order.
///
/// One order per opportunity. Repeating the request with the first one's `Idempotency-Key`
/// answers the first order again (`created` false) instead of a 409, so a client may retry
/// safely after a timeout. An open deal becomes closed_won in the same transaction; a lost one
/// cannot be ordered. With a back office configured the order is queued in the outbox, also in
/// the same transaction, so it is pushed even if the server dies right after answering.
pub async fn create_from_opportunity(
    state: &AppState,
    access: &Access,
    request: BosOrderRequest,
    idempotency_key: Option<&str>,
) -> Result<(BosOrderResult, bool), AppError> {
    access.ensure_can_create()?;
    let key = idempotency_key.map(str::trim).filter(|k| !k.is_empty());
    if key.is_some_and(|k| k.len() > MAX_IDEMPOTENCY_KEY || !k.is_ascii()) {
        return Err(AppError::bad_request(format!(
            "Idempotency-Key: must be at most {MAX_IDEMPOTENCY_KEY} ASCII characters"
        )));
    }
    let opportunity_id = request.opportunity_id.trim();
    let details = request.order_details;
    let product_id = validate::required_text("order_details.product_id", &details.product_id, 100)?;
    let quantity = details.quantity.unwrap_or(1);
    if !(1..=1_000_000).contains(&quantity) {
        return Err(AppError::invalid("order_details.quantity", "order_details.quantity: must be from 1 to 1000000"));
    }
    let special_requirements =
        validate::optional_text("order_details.special_requirements", details.special_requirements, 2000)?;
    let requested_unit_cents = validate::money("order_details.unit_price", details.unit_price)?;

    let opportunity = resource::get::<Opportunity>(state, access, opportunity_id).await?;
    if let Some(order) = existing_order(state, opportunity_id).await? {
        return repeat_or_conflict(order, key, access.me());
    }
    access.ensure_can_modify(&opportunity.holders())?;
    if opportunity.stage == OpportunityStage::ClosedLost {
        return Err(AppError::conflict(format!(
            "Opportunity {opportunity_id} is closed_lost; a lost deal cannot become an order"
        )));
    }
    let unit_cents = match requested_unit_cents {
        Some(cents) => cents,
        None => {
            let amount = opportunity.amount.and_then(money::to_cents).ok_or_else(|| {
                AppError::invalid(
                    "order_details.unit_price",
                    format!("order_details.unit_price: required, because opportunity {opportunity_id} has no amount"),
                )
            })?;
            // Rounded to the cent; the total is unit price × quantity (what the customer is billed).
            (amount as f64 / quantity as f64).round() as i64
        }
    };
    let total_cents = unit_cents
        .checked_mul(quantity)
        .filter(|total| *total < MAX_TOTAL_CENTS)
        .ok_or_else(|| AppError::invalid("order_details.quantity", "order_details: the total amount is too large"))?;

    let mut tx = state.db.begin_write().await?;
    if opportunity.stage != OpportunityStage::ClosedWon {
        let won = OpportunityStage::ClosedWon;
        let probability = stage_rule(won, None)?;
        let write = Write::new()
            .set("stage", won.as_str())
            .set("probability", probability)
            .set("is_closed", true)
            .set("expected_revenue_cents", opportunity.amount.and_then(money::to_cents));
        resource::save::<Opportunity>(&mut tx, opportunity_id, opportunity.version, write).await?;
        record_stage_change(&mut tx, opportunity_id, Some(opportunity.stage), won, access.me()).await?;
    }
    let sync_status = state.settings.integrations.bos_url.is_some().then_some(outbox::PENDING);
    let inserted = Write::new()
        .set("account_id", &opportunity.account_id)
        .set("opportunity_id", opportunity_id)
        .set("product_id", &product_id)
        .set("quantity", quantity)
        .set("unit_price_cents", unit_cents)
        .set("total_amount_cents", total_cents)
        .set("currency", &opportunity.currency)
        .set("special_requirements", special_requirements)
        .set("status", OrderStatus::Created.as_str())
        .set("order_date", time::now())
        .set("idempotency_key", key.map(str::to_owned))
        .set("created_by", access.me())
        .set("sync_status", sync_status.map(str::to_owned))
        .insert(&mut tx, Order::TABLE, Order::ID, ids::ORDER)
        .await;
    let order_id = match inserted {
        Ok(id) => id,
        Err(err) => {
            drop(tx);
            // A concurrent request won the race for this opportunity (the unique key said so).
            if let Some(order) = existing_order(state, opportunity_id).await? {
                return repeat_or_conflict(order, key, access.me());
            }
            return Err(err);
        }
    };
    if sync_status.is_some() {
        outbox::enqueue(&mut tx, outbox::BOS_ORDER, &order_id).await?;
    }
    let order = resource::fetch::<Order>(&mut *tx, &order_id).await?;
    tx.commit().await?;
    if sync_status.is_some() {
        outbox::wake(state);
    }
    Ok((result(order, "Order created from opportunity"), true))
}

/// The order already made for `opportunity_id`, with the key it was made with.
async fn existing_order(state: &AppState, opportunity_id: &str) -> Result<Option<(Order, Option<String>)>, AppError> {
    let mut sql =
        Sql::new(&format!("SELECT {}, d.idempotency_key FROM orders d WHERE d.opportunity_id = ", Order::COLUMNS));
    sql.bind(opportunity_id);
    let Some(row) = sql.query().fetch_optional(state.db.pool()).await? else { return Ok(None) };
    Ok(Some((Order::from_row(&row)?, row.opt_text("idempotency_key")?)))
}

fn repeat_or_conflict(
    (order, first_key): (Order, Option<String>),
    key: Option<&str>,
    me: &str,
) -> Result<(BosOrderResult, bool), AppError> {
    // A key only repeats the request of the user who sent it first.
    let repeated = key.is_some() && first_key.as_deref() == key && order.created_by.as_deref() == Some(me);
    if repeated {
        return Ok((result(order, "Order already created from opportunity (same Idempotency-Key)"), false));
    }
    Err(AppError::conflict(format!(
        "Opportunity {} already has order {}",
        order.opportunity_id.as_deref().unwrap_or_default(),
        order.order_id
    )))
}

fn result(order: Order, message: &str) -> BosOrderResult {
    BosOrderResult {
        success: true,
        message: message.to_owned(),
        order_id: order.order_id.clone(),
        opportunity_id: order.opportunity_id.clone().unwrap_or_default(),
        order_details: BosOrderDetails {
            product_id: order.product_id.clone(),
            quantity: order.quantity,
            unit_price: order.unit_price,
            total_amount: order.total_amount,
            special_requirements: order.special_requirements.clone(),
        },
        status: order.status,
        timestamp: time::now(),
        order,
    }
}
