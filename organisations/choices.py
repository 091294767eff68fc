"""The scheme's vocabularies (R-ELIG-1, R-EXC-5), shared by every room above this one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    """R-ELIG-1: the types of organisation the scheme knows."""

    CLUSTER = "cluster", _("Cluster organisation")
    BUSINESS_NETWORK = "business_network", _("Business network organisation")
    SCALEUP_SUPPORT = "scaleup_support", _("Scaling-up support organisation")
    SME = "sme", _("SME")
    TRAINING_PROVIDER = "training_provider", _("Training provider")
    LARGE_COMPANY = "large_company", _("Large company")
    PUBLIC_AUTHORITY = "public_authority", _("Public authority (regional or city level)")


class ScaleupSubtype(models.TextChoices):
    """R-ELIG-1: the kinds of scaling-up support organisation."""

    TECHNOLOGY_CENTRE = "technology_centre", _("Technology centre")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    FAB_LAB = "fab_lab", _("Fab lab")
    INNOVATION_HUB = "innovation_hub", _("Innovation hub")
    DIGITAL_INNOVATION_HUB = "digital_innovation_hub", _("Digital innovation hub")
    CREATIVE_HUB = "creative_hub", _("Creative hub")
    RESOURCE_EFFICIENCY = "resource_efficiency", _("Resource-efficiency service provider")
    INCUBATOR = "incubator", _("Incubator")
    ACCELERATOR = "accelerator", _("Accelerator")


class PublicAuthorityLevel(models.TextChoices):
    REGIONAL = "regional", _("Regional")
    CITY = "city", _("City / administration")


class OrganisationSize(models.TextChoices):
    MICRO = "micro", _("Micro (fewer than 10 staff)")
    SMALL = "small", _("Small (fewer than 50 staff)")
    MEDIUM = "medium", _("Medium (fewer than 250 staff)")
    LARGE = "large", _("Large (250 staff or more)")


SME_SIZES = frozenset({OrganisationSize.MICRO, OrganisationSize.SMALL, OrganisationSize.MEDIUM})


class ProfileStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for validation")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")


class ParticipantRole(models.TextChoices):
    VISITOR = "visitor", _("Visitor")
    HOST = "host", _("Host")


class ActivityType(models.TextChoices):
    """R-EXC-5: what an exchange's activities may be."""

    CAPACITY_BUILDING = "capacity_building", _("Capacity building (individual or grouped)")
    KNOWLEDGE_SHARING = "knowledge_sharing", _("Sharing of knowledge, experience and information")
    PROJECT_DEVELOPMENT = "project_development", _("Project development, innovation and R&D")
    MARKET_RESEARCH = "market_research", _("Market research")
    NETWORKING = (
        "networking",
        _("Networking, identification of partners and business opportunities"),
    )
