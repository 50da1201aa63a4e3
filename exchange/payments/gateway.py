"""The only place that talks to Stripe. With payments off there is no gateway, so no call can be made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe

from exchange.core.errors import DomainError
from exchange.core.ids import MAX_ID, plain_number
from exchange.core.settings import Settings


class PaymentsUnavailable(DomainError):
    status_code = 404
    title = "Subscriptions are not available"

    def __init__(self) -> None:
        super().__init__("Subscriptions are not available on this instance of the exchange.")


class StripeUnavailable(DomainError):
    """Stripe refused or could not be reached: nothing was changed here, and the person can try again."""

    status_code = 502
    title = "Stripe could not be reached"


class StripeRefused(StripeUnavailable):
    """Stripe answered but will not do it (a missing price, a request it rejects): trying again cannot help."""


@dataclass(frozen=True)
class SubscriptionState:
    """What Stripe says a subscription is now, in the few fields the exchange keeps."""

    stripe_subscription_id: str
    stripe_customer_id: str
    status: str
    lookup_key: str
    current_period_end: datetime | None
    cancel_at_period_end: bool
    organisation_id: int | None


def _timestamp(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if isinstance(value, int | float) and value else None


def subscription_state(data: dict[str, Any]) -> SubscriptionState:
    """Read a subscription object; newer API versions keep the period on the item, older ones on the subscription."""
    items = (data.get("items") or {}).get("data") or [{}]
    item = items[0]
    price = item.get("price") or {}
    lookup_key = price.get("lookup_key") or (item.get("plan") or {}).get("id") or (data.get("plan") or {}).get("id")
    customer = data.get("customer")
    if isinstance(customer, dict):
        customer = customer.get("id")
    organisation = str((data.get("metadata") or {}).get("organisation_id") or "")
    return SubscriptionState(
        stripe_subscription_id=str(data["id"]),
        stripe_customer_id=str(customer or ""),
        status=str(data.get("status") or "incomplete"),
        lookup_key=str(lookup_key or ""),
        current_period_end=_timestamp(data.get("current_period_end") or item.get("current_period_end")),
        cancel_at_period_end=bool(data.get("cancel_at_period_end")),
        organisation_id=plain_number(organisation, MAX_ID),
    )


class Gateway:
    def __init__(self, settings: Settings) -> None:
        assert settings.stripe_secret_key, "payments are off: no gateway"
        base = {"api": settings.stripe_api_base} if settings.stripe_api_base else None
        # Retries resend the same idempotency key, so a retried POST never makes a second object.
        self.client = stripe.StripeClient(
            settings.stripe_secret_key,
            base_addresses=base,  # type: ignore[arg-type]
            max_network_retries=settings.stripe_network_retries,
        )

    def _call(self, what: str, function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except stripe.StripeError as error:
            # A connection error's own message is a network trace, not something to show an administrator.
            told = None if isinstance(error, stripe.APIConnectionError) else getattr(error, "user_message", None)
            message = told or "Stripe did not answer. Try again in a few minutes."
            status = getattr(error, "http_status", None) or 0
            # No answer, too many requests or Stripe's own fault may pass; a rejected request stays rejected.
            passing = isinstance(error, stripe.APIConnectionError | stripe.RateLimitError) or status >= 500
            failure = StripeUnavailable if passing or not status else StripeRefused
            raise failure(f"Stripe could not {what}. {message}") from error

    def create_customer(self, organisation_id: int, name: str, email: str) -> str:
        customer = self._call(
            "set up billing",
            self.client.v1.customers.create,
            params={"name": name, "email": email, "metadata": {"organisation_id": str(organisation_id)}},
            # One organisation, one customer: a retry after a lost answer gets the same customer back.
            options={"idempotency_key": f"exchange-customer-{organisation_id}"},
        )
        return str(customer.id)

    def price_id(self, lookup_key: str) -> str:
        prices = self._call(
            "find the price",
            self.client.v1.prices.list,
            params={"lookup_keys": [lookup_key], "active": True, "limit": 1},
        )
        if not prices.data:
            raise StripeRefused(f"Stripe has no active price with the lookup key {lookup_key}.")
        return str(prices.data[0].id)

    def create_checkout_session(
        self, *, customer_id: str, price_id: str, organisation_id: int, plan_key: str, base_url: str, attempt: str
    ) -> str:
        metadata = {"organisation_id": str(organisation_id), "plan": plan_key}
        session = self._call(
            "start the checkout",
            self.client.v1.checkout.sessions.create,
            params={
                "mode": "subscription",
                "customer": customer_id,
                "client_reference_id": str(organisation_id),
                "line_items": [{"price": price_id, "quantity": 1}],
                "success_url": f"{base_url}/billing/success?session_id={{CHECKOUT_SESSION_ID}}",
                "cancel_url": f"{base_url}/billing/cancelled",
                "metadata": metadata,
                "subscription_data": {"metadata": metadata},
            },
            # The same pricing form sent twice (a double click, a retry) opens the same checkout; choosing
            # another price from the same page is a new request, as Stripe refuses a key with changed parameters.
            options={"idempotency_key": f"exchange-checkout-{organisation_id}-{price_id}-{attempt}"},
        )
        return str(session.url)

    def create_portal_session(self, *, customer_id: str, return_url: str) -> str:
        session = self._call(
            "open the billing portal",
            self.client.v1.billing_portal.sessions.create,
            params={"customer": customer_id, "return_url": return_url},
        )
        return str(session.url)

    def retrieve_subscription(self, subscription_id: str) -> SubscriptionState:
        subscription = self._call("read the subscription", self.client.v1.subscriptions.retrieve, subscription_id)
        return subscription_state(subscription.to_dict())


def verify_event(payload: bytes, signature: str | None, secret: str) -> dict[str, Any]:
    """Signature checking needs no API key, so it works the same whatever the gateway."""
    event = stripe.Webhook.construct_event(payload, signature, secret)
    return dict(event.to_dict())
