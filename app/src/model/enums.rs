//! Every closed set of values in the contract, with its exact wire spelling.

use serde::{Deserialize, Serialize};

/// Defines a string enum: serde spelling, `ALL`, `as_str()` and parsing with a message that
/// lists the allowed values (used by request validation and query filters alike).
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Checks a wire spelling (for query filters, which keep the text).
            pub fn check(text: &str) -> Result<(), String> {
                text.parse::<Self>().map(|_| ())
            }

            /// The allowed values, for error messages: "a, b, c".
            pub fn allowed() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        // Written by hand: utoipa's derive cannot read serde renames passed through macro_rules.
        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!("must be one of: {}", Self::allowed())),
                }
            }
        }
    };
}

wire_enum!(
    /// What a user may do: admin and manager everything, user their own records, viewer read only.
    Role { Admin => "admin", Manager => "manager", User => "user", Viewer => "viewer" }
);

wire_enum!(AccountType { Customer => "customer", Prospect => "prospect", Partner => "partner" });

wire_enum!(
    /// Status of accounts and contacts.
    RecordStatus { Active => "active", Inactive => "inactive" }
);

wire_enum!(LifecycleStage {
    Lead => "lead",
    Opportunity => "opportunity",
    Customer => "customer",
    Evangelist => "evangelist",
    Other => "other",
});

wire_enum!(ContactRole {
    DecisionMaker => "decision_maker",
    Influencer => "influencer",
    Contact => "contact",
});

wire_enum!(LeadStatus {
    New => "new",
    Contacted => "contacted",
    Qualified => "qualified",
    Proposal => "proposal",
    Negotiation => "negotiation",
    Unqualified => "unqualified",
});

wire_enum!(LeadSource {
    Website => "website",
    Referral => "referral",
    TradeShow => "trade_show",
    ColdCall => "cold_call",
    EmailCampaign => "email_campaign",
    SocialMedia => "social_media",
    Partner => "partner",
    Other => "other",
});

wire_enum!(LeadStage {
    Inquiry => "inquiry",
    Qualified => "qualified",
    Nurturing => "nurturing",
    SalesReady => "sales_ready",
});

wire_enum!(OpportunityStage {
    Prospecting => "prospecting",
    Qualification => "qualification",
    Proposal => "proposal",
    Negotiation => "negotiation",
    ClosedWon => "closed_won",
    ClosedLost => "closed_lost",
});

impl OpportunityStage {
    /// The probability (percent) a deal in this stage gets when the client gives none.
    pub fn default_probability(self) -> f64 {
        match self {
            OpportunityStage::Prospecting => 10.0,
            OpportunityStage::Qualification => 20.0,
            OpportunityStage::Proposal => 50.0,
            OpportunityStage::Negotiation => 80.0,
            OpportunityStage::ClosedWon => 100.0,
            OpportunityStage::ClosedLost => 0.0,
        }
    }

    pub fn is_closed(self) -> bool {
        matches!(self, OpportunityStage::ClosedWon | OpportunityStage::ClosedLost)
    }
}

wire_enum!(ActivityType {
    Call => "call",
    Email => "email",
    Meeting => "meeting",
    Task => "task",
    Note => "note",
    Visit => "visit",
});

wire_enum!(ActivityStatus { Planned => "planned", Completed => "completed", Cancelled => "cancelled" });

wire_enum!(Priority { Low => "low", Medium => "medium", High => "high", Urgent => "urgent" });

wire_enum!(TaskStatus {
    Pending => "pending",
    InProgress => "in_progress",
    Completed => "completed",
    Cancelled => "cancelled",
});

wire_enum!(
    /// An order's life: created → confirmed → shipped → delivered, or cancelled before shipping.
    OrderStatus {
    Created => "created",
    Confirmed => "confirmed",
    Shipped => "shipped",
    Delivered => "delivered",
    Cancelled => "cancelled",
}
);

impl OrderStatus {
    /// The statuses an order may move to from this one.
    pub fn next(self) -> &'static [OrderStatus] {
        match self {
            OrderStatus::Created => &[OrderStatus::Confirmed, OrderStatus::Cancelled],
            OrderStatus::Confirmed => &[OrderStatus::Shipped, OrderStatus::Cancelled],
            OrderStatus::Shipped => &[OrderStatus::Delivered],
            OrderStatus::Delivered | OrderStatus::Cancelled => &[],
        }
    }

    pub fn can_move_to(self, next: OrderStatus) -> bool {
        self.next().contains(&next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_wire_spelling_and_rejects_others() {
        for stage in OpportunityStage::ALL {
            assert_eq!(stage.as_str().parse::<OpportunityStage>(), Ok(*stage));
        }
        let err = "won".parse::<OpportunityStage>().unwrap_err();
        assert!(err.contains("closed_won"), "{err}");
        assert_eq!(serde_json::to_string(&TaskStatus::InProgress).unwrap(), "\"in_progress\"");
    }

    #[test]
    fn orders_move_forward_only() {
        assert!(OrderStatus::Created.can_move_to(OrderStatus::Confirmed));
        assert!(OrderStatus::Confirmed.can_move_to(OrderStatus::Cancelled));
        assert!(!OrderStatus::Shipped.can_move_to(OrderStatus::Cancelled));
        assert!(!OrderStatus::Delivered.can_move_to(OrderStatus::Created));
        assert!(!OrderStatus::Created.can_move_to(OrderStatus::Delivered));
    }

    #[test]
    fn closed_stages_force_their_probability() {
        assert_eq!(OpportunityStage::ClosedWon.default_probability(), 100.0);
        assert_eq!(OpportunityStage::ClosedLost.default_probability(), 0.0);
        assert!(OpportunityStage::ClosedLost.is_closed());
        assert!(!OpportunityStage::Negotiation.is_closed());
    }
}
